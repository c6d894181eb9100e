"""URLs of the advisor pages (included in meute.web.urls, namespace "web")."""

urlpatterns: list = []
