"""The staff cockpit: a network's figures, members at risk and things to do (reads only)."""
