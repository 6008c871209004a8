"""The branch's settings as one validated, read-only tree, read from the branch's TOML file."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, model_validator

from shared.config.booking import BookingRules, WebSettings
from shared.config.devices import DisplayConfig, KioskConfig, PrinterConfig
from shared.config.fields import (
    SETTINGS,
    BranchCode,
    Conflict,
    ServiceCode,
    TicketPrefix,
    TimeZoneName,
    WebAddress,
    conflicts,
)
from shared.config.hours import WEEKDAYS, WeeklyHours, covers, format_hours
from shared.config.messages import MessageSettings
from shared.config.notifying import ChannelSettings
from shared.config.survey import SurveySettings

CallPolicy = Literal["longest_waiting", "service_order"]
DocumentName = Annotated[str, Field(min_length=1, max_length=120)]


class BranchInfo(BaseModel):
    """Who the branch is and when it is open."""

    model_config = SETTINGS

    code: BranchCode = Field(description="The branch's short code, e.g. 'SRG'; names it in the "
                             "database and on every PC's command line.")
    name: str = Field(min_length=1, max_length=120,
                      description="The branch's name as screens, tickets and reports show it.")
    timezone: TimeZoneName = Field("Asia/Jakarta", description="The branch's IANA time zone: "
                                   "its business day, opening hours and clock times.")
    opening_hours: WeeklyHours = Field(description="When the branch is open, per weekday.")
    holidays: list[date] = Field(default_factory=list,
                                 description="Dates the branch stays closed (TOML dates).")

    def opening_hours_on(self, d: date) -> tuple[time, time] | None:
        """Opening hours on that date, None when closed (weekday off or holiday)."""
        return None if d in self.holidays else self.opening_hours.for_day(d)


class QueueRules(BaseModel):
    """How tickets move through their lifecycle at this branch."""

    model_config = SETTINGS

    max_calls: int = Field(3, ge=1, le=10, description="Calls of one ticket; a visitor who has "
                           "not come after this many is marked no-show.")
    no_show_grace_minutes: int = Field(30, ge=0, le=480, description="How long after a no-show "
                                       "a late visitor may still be reinstated.")
    transfer_keeps_place: bool = Field(True, description="Whether a ticket transferred to another "
                                       "service keeps its place by issue time (else it goes last).")
    closing_margin_minutes: int = Field(10, ge=0, le=240, description="Tickets stop this long "
                                        "before closing, and when the wait would run past it.")
    capacity_wait_share: float = Field(0.65, ge=0.5, le=0.95, description="A walk-in is "
                                       "refused for capacity when this share of visitors like "
                                       "them (a quantile of the wait) would not be called before "
                                       "closing less the margin; the window's end (0.9) refuses "
                                       "many who would have been served.")
    capacity_reopen_minutes: int = Field(10, ge=0, le=120, description="Once refused for "
                                         "capacity, a service reopens only when the wait would "
                                         "end this much earlier than the refusing limit, so the "
                                         "kiosk does not flap between refusing and issuing.")
    idle_alert_minutes: int = Field(20, ge=5, le=240, description="An open counter that has "
                                    "not called for this long although visitors it serves "
                                    "wait is taken to be away (the estimate) and the "
                                    "supervisor is alerted.")
    window_risk_minutes: int = Field(10, ge=0, le=120, description="A waiting visitor whose "
                                     "printed window ends within this time and who is not "
                                     "expected to be called before it ends (or whose window "
                                     "has ended) is shown to the supervisor as at risk.")
    promise_grace_minutes: int = Field(10, ge=0, le=240, description="A visitor not called "
                                       "this long after the end of their printed window goes "
                                       "ahead of the visitors of that service not yet owed "
                                       "(janji terlewat), once.")
    replan_notice_minutes: int = Field(10, ge=1, le=240, description="When a counter closes "
                                       "or pauses or the roster changes, a waiting visitor "
                                       "whose window moved by more than this is told so on "
                                       "their phone page.")
    screen_only_tickets: bool = Field(False, description="Issue tickets shown on screen only "
                                      "while the printer is down.")
    survey_base_url: WebAddress = Field("http://localhost:8080/t/", description="Start of the "
                                        "ticket status and survey link printed as a QR code.")


class ServiceConfig(BaseModel):
    """One kind of business, with its ticket prefix, hours, quota and what to bring."""

    model_config = SETTINGS

    code: ServiceCode = Field(description="The service's code, e.g. 'JHT'; counters and "
                              "bookings name it.")
    prefix: TicketPrefix = Field(description="Letters before its ticket numbers, e.g. 'A' "
                                 "for A001.")
    name_id: str = Field(min_length=1, max_length=80, description="Name in Indonesian.")
    name_en: str = Field(min_length=1, max_length=80, description="Name in English.")
    issuing_hours: WeeklyHours | None = Field(None, description="When the kiosk issues its "
                                              "tickets; not set: whenever the branch is open; "
                                              "{} (no day): only by transfer.")
    daily_quota: int | None = Field(None, ge=1, le=10000, description="Most tickets a day; "
                                    "not set: no limit.")
    target_wait_minutes: int = Field(30, ge=1, le=600, description="The wait the branch aims "
                                     "for; the reports measure against it.")
    mean_service_minutes: float = Field(10, ge=0.5, le=240, description="Minutes per visitor, "
                                        "used for estimates until today's own times exist.")
    priority_allowed: bool = Field(True, description="Whether the kiosk offers a priority "
                                   "ticket for it.")
    transfer_keeps_place: bool | None = Field(None, description="Overrides the queue's "
                                              "transfer_keeps_place for tickets moved into "
                                              "this service; not set: the queue rule decides.")
    documents_id: list[DocumentName] = Field(default_factory=list, max_length=30,
                                             description="What to bring, in Indonesian.")
    documents_en: list[DocumentName] = Field(default_factory=list, max_length=30,
                                             description="What to bring, in English.")
    info_id: str = Field("", max_length=200, description="A note shown with the service, "
                         "in Indonesian.")
    info_en: str = Field("", max_length=200, description="A note shown with the service, "
                         "in English.")


class CounterConfig(BaseModel):
    """A desk (loket) and the services it calls, in the order it prefers them."""

    model_config = SETTINGS

    number: int = Field(ge=1, le=99, description="The counter's number, as the display "
                        "shows and announces it.")
    name: str = Field("", min_length=1, max_length=40, description="Its name on screens; "
                      "left out: 'Loket <number>'.")
    services: list[ServiceCode] = Field(min_length=1, max_length=50, description="The "
                                        "services it calls, the preferred first.")
    call_policy: CallPolicy = Field("longest_waiting", description="Whom call next takes after "
                                    "priority visitors and due bookings: the longest-waiting "
                                    "of its services (longest_waiting), or the first service "
                                    "in its list with anyone waiting (service_order).")

    @model_validator(mode="before")
    @classmethod
    def _name_from_number(cls, data: Any) -> Any:
        number = data.get("number") if isinstance(data, dict) else None
        if isinstance(number, int) and not isinstance(number, bool) and "name" not in data:
            return {**data, "name": f"Loket {number}"}
        return data


class BranchConfig(BaseModel):
    """Everything one branch declares in its TOML file."""

    model_config = SETTINGS

    branch: BranchInfo = Field(description=BranchInfo.__doc__)
    queue: QueueRules = Field(default_factory=QueueRules, description=QueueRules.__doc__)
    services: list[ServiceConfig] = Field(min_length=1, max_length=50,
                                          description=ServiceConfig.__doc__)
    counters: list[CounterConfig] = Field(min_length=1, max_length=99,
                                          description=CounterConfig.__doc__)
    printer: PrinterConfig = Field(default_factory=PrinterConfig,
                                   description=PrinterConfig.__doc__)
    display: DisplayConfig = Field(default_factory=DisplayConfig,
                                   description=DisplayConfig.__doc__)
    kiosk: KioskConfig = Field(default_factory=KioskConfig, description=KioskConfig.__doc__)
    booking: BookingRules = Field(default_factory=BookingRules, description=BookingRules.__doc__)
    web: WebSettings = Field(default_factory=WebSettings, description=WebSettings.__doc__)
    survey: SurveySettings = Field(default_factory=SurveySettings,
                                   description=SurveySettings.__doc__)
    channels: ChannelSettings = Field(default_factory=ChannelSettings,
                                      description=ChannelSettings.__doc__)
    messages: MessageSettings = Field(default_factory=MessageSettings,
                                      description=MessageSettings.__doc__)

    @model_validator(mode="after")
    def _parts_fit_together(self) -> Self:
        found = [
            *_duplicates("services", "code", [s.code for s in self.services]),
            *_duplicates("services", "prefix", [s.prefix for s in self.services],
                         [f"service {s.code}" for s in self.services]),
            *_duplicates("counters", "number", [c.number for c in self.counters]),
            *self._counters_serve_known_services(),
            *self._bookable_services_known(),
            *self._issuing_within_opening_hours(),
        ]
        if found:
            raise conflicts(found)
        return self

    def _bookable_services_known(self) -> list[Conflict]:
        known = [s.code for s in self.services]
        return [
            Conflict(("booking", "services", index),
                     f"'{code}' is not a service of this branch; use one of {', '.join(known)}")
            for index, code in enumerate(self.booking.services or [])
            if code not in known
        ]

    def _counters_serve_known_services(self) -> list[Conflict]:
        known = list(dict.fromkeys(s.code for s in self.services))
        found = []
        for c_index, counter in enumerate(self.counters):
            for s_index, code in enumerate(counter.services):
                if code not in known:
                    found.append(Conflict(
                        ("counters", c_index, "services", s_index),
                        f"'{code}' is not a service of this branch; use one of {', '.join(known)}",
                    ))
                elif code in counter.services[:s_index]:
                    found.append(Conflict(("counters", c_index, "services", s_index),
                                          f"'{code}' is listed twice"))
        served = {code for counter in self.counters for code in counter.services}
        for index, service in enumerate(self.services):
            if service.code not in served:
                found.append(Conflict(
                    ("services", index, "code"),
                    f"no counter serves '{service.code}', so nobody could call its tickets; "
                    "add it to some counter's services",
                ))
        return found

    def _issuing_within_opening_hours(self) -> list[Conflict]:
        found = []
        for index, service in enumerate(self.services):
            for weekday in WEEKDAYS:
                own = service.issuing_hours
                issuing = own.on_weekday(weekday) if own is not None else None
                opening = self.branch.opening_hours.on_weekday(weekday)
                if issuing is None or covers(opening, issuing):
                    continue
                limit = f"is open {format_hours(opening)}" if opening else "is closed"
                found.append(Conflict(
                    ("services", index, "issuing_hours", weekday),
                    f"{format_hours(issuing)} is not allowed; tickets can only be issued "
                    f"while the branch is open, and on {weekday} it {limit}",
                ))
        return found

    def service(self, code: str) -> ServiceConfig:
        """The service with that code; KeyError names it when unknown."""
        for service in self.services:
            if service.code == code:
                return service
        raise KeyError(f"unknown service {code!r}")

    def counter(self, number: int) -> CounterConfig:
        """The counter with that number; KeyError when unknown."""
        for counter in self.counters:
            if counter.number == number:
                return counter
        raise KeyError(f"unknown counter {number}")

    def issuing_hours_on(self, code: str, d: date) -> tuple[time, time] | None:
        """When the kiosk issues tickets of that service on that date; None: not at all."""
        if self.branch.opening_hours_on(d) is None:
            return None
        own = self.service(code).issuing_hours
        return (self.branch.opening_hours if own is None else own).for_day(d)

    def transfer_keeps_place(self, code: str) -> bool:
        """Whether a ticket transferred into that service keeps its place by issue time."""
        own = self.service(code).transfer_keeps_place
        return self.queue.transfer_keeps_place if own is None else own


def _duplicates(
    section: str, key: str, values: list[Any], owners: list[str] | None = None
) -> list[Conflict]:
    """Each repeated value, reported at its later entries; `owners` name the entries."""
    first: dict[Any, int] = {}
    found = []
    for index, value in enumerate(values):
        earlier = first.setdefault(value, index)
        if earlier != index:
            owner = owners[earlier] if owners else f"{section}[{earlier + 1}]"
            found.append(Conflict(
                (section, index, key),
                f"{value!r} is not allowed; {owner} already uses it and each {key} must be unique",
            ))
    return found
