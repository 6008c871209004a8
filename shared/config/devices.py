"""Settings of the branch's equipment: the ticket printer, the lobby display and the kiosk."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

from shared.config.fields import SETTINGS, Conflict, MaintenancePin, UsbId, conflicts

PrinterKind = Literal["virtual", "network", "serial", "usb", "file"]
Language = Literal["id", "en"]


def _both_languages() -> list[Language]:
    return ["id", "en"]


class PrinterConfig(BaseModel):
    """The kiosk's thermal printer; "virtual" draws tickets as PNG files instead of printing."""

    model_config = SETTINGS

    kind: PrinterKind = Field("virtual", description="How the kiosk reaches the printer.")
    host: str = Field("127.0.0.1", max_length=253, description="A network printer's address.")
    port: int = Field(9100, ge=1, le=65535, description="A network printer's raw port.")
    device: str = Field("", max_length=260, description="A serial printer's port (/dev/ttyUSB0, "
                        "COM3) or a file printer's device (/dev/usb/lp0).")
    baudrate: int = Field(19200, ge=1200, le=921600, description="A serial printer's speed.")
    flow_control: Literal["none", "rtscts", "xonxoff"] = Field(
        "none", description="A serial printer's flow control."
    )
    vendor_id: UsbId | None = Field(None, description="A usb printer's vendor id, as lsusb "
                                    "shows it (0x04b8).")
    product_id: UsbId | None = Field(None, description="A usb printer's product id, as lsusb "
                                     "shows it.")
    paper_mm: Literal[58, 80] = Field(80, description="Paper roll width in millimetres.")
    timeout_seconds: float = Field(5, gt=0, le=60, description="How long each step of a print "
                                   "job may take before the printer counts as unreachable.")
    min_bytes_per_second: int = Field(100, ge=10, le=1_000_000, description="The slowest "
                                      "a network, USB or file printer is expected to take a "
                                      "job, in bytes per second: a job of N bytes may take N / "
                                      "this seconds more before the printer counts as silent "
                                      "(a serial printer's baud rate sets its own).")
    health_check_seconds: float = Field(15, ge=1, le=600, description="How often the kiosk "
                                        "asks the printer how it is while nobody prints, so "
                                        "a printer that dies, or gets its paper back, shows "
                                        "before the next visitor.")
    status_query: bool = Field(True, description="Ask the printer for its paper and cover state "
                               "(DLE EOT) before and after each ticket; off for a printer that "
                               "never answers, whose state then shows as unknown.")
    logo: str = Field("", max_length=260, description="Image file printed above the number.")
    footer_id: str = Field("Terima kasih. Simpan tiket ini sampai dipanggil.", max_length=120,
                           description="Line at the foot of the ticket, in Indonesian.")
    footer_en: str = Field("Thank you. Keep this ticket until your number is called.",
                           max_length=120, description="Line at the foot of the ticket, "
                           "in English.")
    output_dir: str = Field("", max_length=260, description="Where a virtual printer saves its "
                            "PNG tickets; empty: the user's data folder.")

    @model_validator(mode="after")
    def _connection_is_complete(self) -> Self:
        found = []
        if self.kind == "network" and not self.host.strip():
            found.append(Conflict(("host",), 'a network printer needs host = "<IP address>"'))
        if self.kind in ("serial", "file") and not self.device.strip():
            example = "/dev/ttyUSB0" if self.kind == "serial" else "/dev/usb/lp0"
            found.append(
                Conflict(("device",), f'a {self.kind} printer needs device = "{example}"')
            )
        if self.kind == "usb":
            for key in ("vendor_id", "product_id"):
                if getattr(self, key) is None:
                    found.append(
                        Conflict((key,), f"a usb printer needs {key} (see lsusb, e.g. 0x04b8)")
                    )
        if found:
            raise conflicts(found)
        return self


class DisplayConfig(BaseModel):
    """The lobby screen and its spoken announcements."""

    model_config = SETTINGS

    announce: bool = Field(True, description="Announce each call aloud.")
    announce_english: bool = Field(False, description="Announce each call in English too.")
    volume: float = Field(0.8, ge=0, le=1, description="Announcement volume, 0 to 1.")
    voice_dir: str = Field("", max_length=260, description="Folder of the branch's own "
                           "recorded clips, if any.")
    running_text_id: str = Field("", max_length=500, description="Running text along the "
                                 "bottom, in Indonesian.")
    running_text_en: str = Field("", max_length=500, description="Running text along the "
                                 "bottom, in English.")
    flash_seconds: float = Field(5, ge=0, le=60, description="How long a new call blinks.")
    english_captions: bool = Field(False, description="Show the screen's captions and titles "
                                   "in English too, after the Indonesian (off: Indonesian "
                                   "only, leaving the called number more room).")


class KioskConfig(BaseModel):
    """The ticket kiosk's touchscreen."""

    model_config = SETTINGS

    idle_seconds: int = Field(20, ge=5, le=600, description="Back to the start screen after "
                              "this long without a touch.")
    result_seconds: int = Field(10, ge=3, le=120, description="How long the issued ticket "
                                "stays on screen.")
    languages: list[Language] = Field(default_factory=_both_languages, min_length=1,
                                      description="The languages a visitor can choose, the "
                                      "first shown at the start.")
    maintenance_pin: MaintenancePin = Field("", description="PIN that opens the kiosk's "
                                            "maintenance screen; empty: a supervisor must "
                                            "log in.")

    @model_validator(mode="after")
    def _languages_once(self) -> Self:
        seen: set[str] = set()
        found = []
        for index, language in enumerate(self.languages):
            if language in seen:
                found.append(Conflict(("languages", index), f"'{language}' is listed twice"))
            seen.add(language)
        if found:
            raise conflicts(found)
        return self
