"""Which address a request comes from, for the login throttle.

``client_ip`` is axes' AXES_CLIENT_IP_CALLABLE: X-Forwarded-For is believed only as
far as TRUSTED_PROXY_COUNT says.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says.

    With no trusted proxies (the default) it is REMOTE_ADDR, whatever headers the client
    sends. With N, each of our N proxies has appended the address it was talked to from,
    so the N-th entry from the right was written by our outermost proxy and is the
    client; anything to its left came from the client and may be made up. A request
    with fewer entries did not come through the proxies, and REMOTE_ADDR is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
