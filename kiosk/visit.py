"""One visitor's pass through the kiosk, from the first tap until home again.

The visit names its ticket request once, so a double tap, a retry after a lost reply, or a
crash between the store and the screen still gives that visitor exactly one ticket.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

REQUEST_ID_LIMIT = 64  # the store keeps request ids up to this length


@dataclass
class Visit:
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    service_code: str | None = None
    priority: bool = False

    def choose(self, service_code: str, priority: bool) -> None:
        self.service_code = service_code
        self.priority = priority

    def ticket_request_id(self) -> str:
        """The same for every attempt at the same choice; another choice is another request."""
        kind = "p" if self.priority else "n"
        return f"kiosk:{self.id}:{self.service_code}:{kind}"[:REQUEST_ID_LIMIT]

    def check_in_request_id(self, code: str) -> str:
        digest = uuid.uuid5(uuid.NAMESPACE_URL, code).hex[:16]
        return f"kiosk:{self.id}:booking:{digest}"[:REQUEST_ID_LIMIT]

    def reservation_request_id(self, service_code: str) -> str:
        """One reservation per visit and service, however often the button is tapped."""
        return f"kiosk:{self.id}:reserve:{service_code}"[:REQUEST_ID_LIMIT]
