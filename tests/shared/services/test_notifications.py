"""Visitors opting in to messages, and the outbox rows written in the transaction of the change
that causes each message: on SQLite (triggers) and PostgreSQL (triggers, call next's stored
procedure included)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.config.notifying import ChannelSettings, SmsGatewaySettings
from shared.domain.errors import NotFound
from shared.services import notifications, outbox
from shared.services.bookings import book, cancel_booking, check_in_booking
from shared.services.counters import close_counter, open_counter
from shared.services.issuing import Admission, issue_ticket
from shared.services.serving import finish, no_show, reinstate, start
from shared.services.setup import apply_branch_config
from shared.services.survey import answer_survey, asked_questions
from shared.store.database import Store
from shared.store.models import Booking, NotificationSubscription, OutboxMessage
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import called_next, run
from tests.support.branches import JAKARTA, MONDAY_0800, small_branch

PHONE = "0812-3456-7890"
NIK = "3604011203850001"
MONDAY = MONDAY_0800.date()
TUESDAY = MONDAY + timedelta(days=1)
E164 = "+6281234567890"
PUSH = json.dumps({"endpoint": "https://push.example/send/abc123",
                   "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQ",
                            "auth": "tBHItJI5svbpez7KI4CCXg"}})


def with_channels(store: Store, **messages: object) -> None:
    """The small branch with SMS through an HTTP gateway switched on."""
    config = small_branch()
    sms = SmsGatewaySettings(enabled=True, url="http://127.0.0.1:9/messages")
    config = config.model_copy(update={
        "channels": ChannelSettings(sms_gateway=sms),
        "messages": config.messages.model_copy(update=messages),
    })
    apply_branch_config(store, config)


@pytest.fixture
def sms_store(store: Store) -> Store:
    with_channels(store)
    return store


def outbox_rows(store: Store) -> list[OutboxMessage]:
    with UnitOfWork(store, "TST") as uow:
        rows = list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        uow.session.expunge_all()
        return rows


def address_of(store: Store, subscription_id: int) -> str:
    with UnitOfWork(store, "TST") as uow:
        row = uow.session.get_one(NotificationSubscription, subscription_id)
        return row.address


def issued(store: Store) -> str:
    return run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR).token


def test_a_visitor_subscribes_by_number_and_the_call_queues_one_message(
    sms_store: Store, staff: Staff
) -> None:
    token = issued(sms_store)
    other = issued(sms_store)  # nobody follows it: its call queues nothing
    subscription = run(sms_store, notifications.subscribe, token, "sms", PHONE, "en")
    assert (subscription.channel, subscription.language) == ("sms", "en")
    assert address_of(sms_store, subscription.id) == E164
    run(sms_store, open_counter, 1, staff.ani)
    run(sms_store, open_counter, 2, staff.budi)
    called_next(sms_store, 1, staff.ani)
    called_next(sms_store, 2, staff.budi)
    rows = outbox_rows(sms_store)
    assert [(r.kind, r.state, r.subscription_id) for r in rows] == [
        ("called", "pending", subscription.id)]
    assert rows[0].parameters["counter"] == 1
    assert rows[0].parameters["token"] == token != other
    with UnitOfWork(sms_store, "TST") as uow:
        assert [s.id for s in notifications.subscriptions_for(uow, token)] == [subscription.id]


def test_no_show_finish_and_recall_each_queue_their_message(
    sms_store: Store, staff: Staff, clock: ManualClock
) -> None:
    first, second = issued(sms_store), issued(sms_store)
    for token in (first, second):
        run(sms_store, notifications.subscribe, token, "sms", PHONE)
    run(sms_store, open_counter, 1, staff.ani)
    called_next(sms_store, 1, staff.ani)
    run(sms_store, no_show, 1, staff.ani)
    clock.advance(60)
    called_next(sms_store, 1, staff.ani)
    run(sms_store, start, 1, staff.ani)
    run(sms_store, finish, 1, staff.ani)
    kinds = [(r.kind, r.parameters["token"]) for r in outbox_rows(sms_store)]
    assert kinds == [("called", first), ("missed", first), ("called", second),
                     ("survey", second)]


def test_a_window_moved_by_re_planning_queues_a_message(
    sms_store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(sms_store, open_counter, 1, staff.ani)
    run(sms_store, open_counter, 2, staff.budi)
    tokens = []
    for _ in range(8):
        clock.advance(20)
        tokens.append(issued(sms_store))
    last = run(sms_store, notifications.subscribe, tokens[-1], "sms", PHONE)
    clock.advance(30)
    run(sms_store, close_counter, 2, staff.budi)  # half the capacity gone: the last one moves
    rows = outbox_rows(sms_store)
    assert [(r.kind, r.subscription_id) for r in rows] == [("moved", last.id)]
    assert set(rows[0].parameters) >= {"from", "until", "label", "token"}


def test_a_second_number_replaces_the_first_and_withdrawing_erases_it(sms_store: Store) -> None:
    token = issued(sms_store)
    first = run(sms_store, notifications.subscribe, token, "sms", PHONE)
    again = run(sms_store, notifications.subscribe, token, "sms", "+62 813 1111 2222")
    assert again.id == first.id
    assert address_of(sms_store, first.id) == "+6281311112222"
    run(sms_store, notifications.unsubscribe, token, first.id)
    assert address_of(sms_store, first.id) == ""
    with UnitOfWork(sms_store, "TST") as uow:
        assert notifications.subscriptions_for(uow, token) == []
    with pytest.raises(NotFound):
        run(sms_store, notifications.unsubscribe, issued(sms_store), first.id)


@pytest.mark.parametrize("typed", ["0812 3456 7890", "6281234567890", "+62-812-3456-7890",
                                   "(0812) 3456.7890"])
def test_mobile_numbers_are_kept_in_e164(typed: str) -> None:
    assert notifications.normalise_phone(typed) == E164


@pytest.mark.parametrize("typed", ["", "12345", "0212345", "+62 21 555 1234 x", "phone"])
def test_what_is_not_a_mobile_number_is_refused(typed: str) -> None:
    with pytest.raises(notifications.InvalidAddress) as refused:
        notifications.normalise_phone(typed)
    assert refused.value.key == "notify_bad_phone"


def test_a_push_subscription_is_checked_and_kept_compact() -> None:
    kept = json.loads(notifications.normalise_push(PUSH))
    assert kept["endpoint"] == "https://push.example/send/abc123"
    for broken in ("{}", "null", '{"endpoint": "ftp://x", "keys": {"p256dh": "a", "auth": "b"}}'):
        with pytest.raises(notifications.InvalidAddress):
            notifications.normalise_push(broken)


def test_a_channel_the_branch_has_not_set_up_is_refused(store: Store) -> None:
    token = issued(store)
    with UnitOfWork(store, "TST") as uow:
        assert notifications.channels_offered(uow) == ()
    with pytest.raises(notifications.ChannelNotOffered):
        run(store, notifications.subscribe, token, "sms", PHONE)


def test_a_finished_visit_takes_no_new_subscription(sms_store: Store, staff: Staff) -> None:
    token = issued(sms_store)
    run(sms_store, open_counter, 1, staff.ani)
    called_next(sms_store, 1, staff.ani)
    run(sms_store, start, 1, staff.ani)
    run(sms_store, finish, 1, staff.ani)
    with pytest.raises(notifications.SubscriptionClosed):
        run(sms_store, notifications.subscribe, token, "sms", PHONE)


def _booking(store: Store, day: date, hour: int = 9) -> tuple[str, datetime]:
    slot = datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)
    return run(store, book, "JHT", day, slot, NIK, PHONE).code, slot


def test_a_booking_queues_its_reminders_and_follows_its_ticket_once_checked_in(
    sms_store: Store, clock: ManualClock
) -> None:
    code, slot = _booking(sms_store, TUESDAY)
    subscription = run(sms_store, notifications.subscribe_booking, code, "sms", PHONE)
    again = run(sms_store, notifications.subscribe_booking, code, "sms", PHONE)
    assert again.id == subscription.id
    rows = outbox_rows(sms_store)
    assert sorted(r.kind for r in rows) == ["reminder_evening", "reminder_hour"]
    due = {r.kind: r.due_at for r in rows}
    assert due["reminder_evening"] == datetime(2026, 11, 23, 19, tzinfo=JAKARTA)  # Monday
    assert due["reminder_hour"] == slot - timedelta(hours=1)
    assert {r.parameters["code"] for r in rows} == {code}


def test_a_cancelled_bookings_reminders_are_dropped_and_its_address_erased(
    sms_store: Store, clock: ManualClock
) -> None:
    code, _ = _booking(sms_store, TUESDAY)
    subscription = run(sms_store, notifications.subscribe_booking, code, "sms", PHONE)
    run(sms_store, cancel_booking, code)
    with UnitOfWork(sms_store, "TST") as uow:
        assert outbox.purge_addresses(uow) == 1
    assert address_of(sms_store, subscription.id) == ""
    assert {(r.state, r.drop_reason) for r in outbox_rows(sms_store)} == {
        ("dropped", "the address was erased")}


def test_checking_a_booking_in_moves_its_subscription_to_the_ticket(
    sms_store: Store, clock: ManualClock, staff: Staff
) -> None:
    code, slot = _booking(sms_store, MONDAY, hour=10)
    subscription = run(sms_store, notifications.subscribe_booking, code, "sms", PHONE)
    clock.set(slot - timedelta(minutes=1))
    ticket = run(sms_store, check_in_booking, code, kiosk="K1")
    run(sms_store, open_counter, 1, staff.ani)
    clock.set(slot)
    assert called_next(sms_store, 1, staff.ani).id == ticket.id
    called = [r for r in outbox_rows(sms_store) if r.kind == "called"]
    assert [(r.subscription_id, r.ticket_id) for r in called] == [(subscription.id, ticket.id)]
    # The reminder an hour before was dropped unsent: the visitor had checked in.
    with UnitOfWork(sms_store, "TST") as uow:
        assert [c.kind for c in outbox.claim(uow, 10)] == ["called"]
    assert [(r.kind, r.drop_reason) for r in outbox_rows(sms_store) if r.state == "dropped"] == [
        ("reminder_hour", "the visitor has already checked in")]


def test_addresses_are_erased_once_the_visit_is_over_and_nothing_is_left_to_send(
    sms_store: Store, staff: Staff, clock: ManualClock
) -> None:
    done_token, missed_token, waiting_token = issued(sms_store), issued(sms_store), issued(
        sms_store)
    subs = {token: run(sms_store, notifications.subscribe, token, "sms", PHONE).id
            for token in (done_token, missed_token, waiting_token)}
    run(sms_store, open_counter, 1, staff.ani)
    called_next(sms_store, 1, staff.ani)
    run(sms_store, start, 1, staff.ani)
    run(sms_store, finish, 1, staff.ani)
    called_next(sms_store, 1, staff.ani)
    run(sms_store, no_show, 1, staff.ani)
    with UnitOfWork(sms_store, "TST") as uow:
        assert outbox.purge_addresses(uow) == 0  # the survey link is still to be sent
    with UnitOfWork(sms_store, "TST") as uow:
        for row in uow.session.scalars(select(OutboxMessage)):
            row.state = outbox.SENT
        uow.commit()
    with UnitOfWork(sms_store, "TST") as uow:
        assert outbox.purge_addresses(uow) == 1  # done; the missed one may be reinstated
    assert address_of(sms_store, subs[done_token]) == ""
    assert address_of(sms_store, subs[missed_token]) == E164
    clock.advance(31 * 60)  # past queue.no_show_grace_minutes
    with UnitOfWork(sms_store, "TST") as uow:
        assert outbox.purge_addresses(uow) == 1
    assert address_of(sms_store, subs[waiting_token]) == E164
    clock.advance(24 * 3600)  # the day is over: nobody still waits for it
    with UnitOfWork(sms_store, "TST") as uow:
        assert outbox.purge_addresses(uow) == 1
    assert address_of(sms_store, subs[waiting_token]) == ""


def test_the_turn_is_near_is_derived_once_per_ticket(
    sms_store: Store, staff: Staff, clock: ManualClock
) -> None:
    with_channels(sms_store, near_people_ahead=2, near_minutes_before=0)
    tokens = [issued(sms_store) for _ in range(5)]
    last = run(sms_store, notifications.subscribe, tokens[-1], "sms", PHONE)
    with UnitOfWork(sms_store, "TST") as uow:
        assert outbox.queue_near_messages(uow) == 0  # four ahead
    run(sms_store, open_counter, 1, staff.ani)
    called_next(sms_store, 1, staff.ani)
    run(sms_store, no_show, 1, staff.ani)
    called_next(sms_store, 1, staff.ani)  # two ahead now
    with UnitOfWork(sms_store, "TST") as uow:
        assert outbox.queue_near_messages(uow) == 1
    with UnitOfWork(sms_store, "TST") as uow:
        assert outbox.queue_near_messages(uow) == 0  # the dedupe key: once
    near = [r for r in outbox_rows(sms_store) if r.kind == "near"]
    assert [(r.subscription_id, r.parameters["ahead"]) for r in near] == [(last.id, 2)]


def test_a_message_too_late_to_matter_is_dropped_with_its_reason(
    sms_store: Store, staff: Staff, clock: ManualClock
) -> None:
    first, second = issued(sms_store), issued(sms_store)
    run(sms_store, notifications.subscribe, first, "sms", PHONE)
    run(sms_store, notifications.subscribe, second, "sms", PHONE)
    run(sms_store, open_counter, 1, staff.ani)
    called_next(sms_store, 1, staff.ani)
    run(sms_store, start, 1, staff.ani)  # served before the message left
    run(sms_store, finish, 1, staff.ani)
    called_next(sms_store, 1, staff.ani)  # the second is called, misses, and is reinstated
    run(sms_store, no_show, 1, staff.ani)
    label = next(r for r in outbox_rows(sms_store) if r.kind == "missed").parameters["label"]
    run(sms_store, reinstate, staff.sri, label)
    with UnitOfWork(sms_store, "TST") as uow:
        claimed = outbox.claim(uow, 10)
    assert [(c.kind, c.parameters["token"]) for c in claimed] == [("survey", first)]
    dropped = {(r.kind, r.drop_reason) for r in outbox_rows(sms_store) if r.state == "dropped"}
    assert dropped == {
        ("called", "the call is over (done)"),
        ("called", "the call is over (waiting)"),
        ("missed", "the missed number was reinstated or can no longer be"),
    }


def test_a_survey_link_for_a_visit_already_rated_is_dropped(
    sms_store: Store, staff: Staff
) -> None:
    token = issued(sms_store)
    run(sms_store, notifications.subscribe, token, "sms", PHONE)
    run(sms_store, open_counter, 1, staff.ani)
    called_next(sms_store, 1, staff.ani)
    run(sms_store, start, 1, staff.ani)
    run(sms_store, finish, 1, staff.ani)
    with UnitOfWork(sms_store, "TST") as uow:
        questions = [q.key for q in asked_questions(uow)]
    run(sms_store, answer_survey, token, dict.fromkeys(questions, 4))  # rated at the kiosk
    with UnitOfWork(sms_store, "TST") as uow:
        assert outbox.claim(uow, 10) == []
    assert [(r.kind, r.drop_reason) for r in outbox_rows(sms_store) if r.state == "dropped"] == [
        ("called", "the call is over (done)"),
        ("survey", "the visitor has already answered the survey")]


def test_a_bookings_phone_number_is_blanked_once_its_day_is_over(
    sms_store: Store, clock: ManualClock
) -> None:
    _, slot = _booking(sms_store, TUESDAY)

    def phones() -> list[str]:
        with UnitOfWork(sms_store, "TST") as uow:
            return list(uow.session.scalars(select(Booking.phone)))

    with UnitOfWork(sms_store, "TST") as uow:
        outbox.purge_addresses(uow)
    assert phones() != [""]  # its day is still to come: kept
    clock.set(slot + timedelta(days=1))
    with UnitOfWork(sms_store, "TST") as uow:
        outbox.purge_addresses(uow)
    assert phones() == [""]
