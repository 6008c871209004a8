"""One module per kiosk screen; each has `retranslate()` for the language switch."""

from enum import StrEnum


class Screen(StrEnum):
    HOME = "home"
    PRIORITY = "priority"
    DOCUMENTS = "documents"
    BUSY = "busy"
    RESULT = "result"
    MESSAGE = "message"
    CHECK_IN = "check_in"
    PIN = "pin"
    MAINTENANCE = "maintenance"
    PHONE = "phone"
