"""The header bell's unread count."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """How many unread notifications the person may still see (0 for a visitor), cached per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_unread_notifications"):
        from meute.notifications.queries import unread_count

        request._unread_notifications = unread_count(user)
    return request._unread_notifications
