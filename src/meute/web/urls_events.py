"""URLs of the events pages (included in meute.web.urls, namespace "web")."""

urlpatterns: list = []
