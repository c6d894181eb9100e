"""Events: workshops, trainings, conferences, plenaries, speed meetings; registrations and waiting lists."""
