"""The demo branch file loads, and the settings answer the questions the apps ask of them."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.config import (
    BranchConfig,
    CounterConfig,
    PrinterConfig,
    WeeklyHours,
    format_hours,
    load_branch_config,
    parse_branch_config,
)

DEMO = Path(__file__).resolve().parents[3] / "assets" / "config" / "demo-branch.toml"

MONDAY = date(2026, 8, 10)
SATURDAY = date(2026, 8, 15)
INDEPENDENCE_DAY = date(2026, 8, 17)  # a Monday and a national holiday


@pytest.fixture(scope="module")
def demo() -> BranchConfig:
    return load_branch_config(DEMO)


def test_demo_branch_is_serang(demo: BranchConfig) -> None:
    assert demo.branch.code == "SRG"
    assert demo.branch.name == "BPJS Ketenagakerjaan Kantor Cabang Serang"
    assert demo.branch.timezone == "Asia/Jakarta"
    assert demo.printer.kind == "virtual"


def test_demo_services_have_one_prefix_each(demo: BranchConfig) -> None:
    prefixes = {s.code: s.prefix for s in demo.services}
    assert prefixes == {
        "JHT": "A", "JKM": "B", "JKK_JP": "C", "JMO": "D", "INFO": "E", "WAWANCARA": "F",
    }


def test_demo_account_reset_has_the_short_morning_window(demo: BranchConfig) -> None:
    reset = demo.service("JMO")
    assert reset.daily_quota == 40
    assert reset.mean_service_minutes == 5
    assert demo.issuing_hours_on("JMO", MONDAY) == (time(8, 0), time(8, 30))
    assert "08:00–08:30" in reset.info_id


def test_demo_jht_lists_the_documents_to_bring(demo: BranchConfig) -> None:
    jht = demo.service("JHT")
    assert jht.daily_quota is None
    assert "Kartu Keluarga" in jht.documents_id
    assert any("paklaring" in d for d in jht.documents_id)
    assert len(jht.documents_id) == len(jht.documents_en)
    assert any("Akta kematian" in d for d in demo.service("JKM").documents_id)


def test_demo_counters(demo: BranchConfig) -> None:
    assert [c.number for c in demo.counters] == list(range(1, 10))
    assert sum("JHT" in c.services for c in demo.counters) >= 3
    assert demo.counter(4).services == ["JHT", "JKM"]
    assert demo.counter(1).name == "Loket 1"  # the default name
    assert demo.counter(7).name == "Meja Wawancara 1"


def test_branch_hours_by_date(demo: BranchConfig) -> None:
    assert demo.branch.opening_hours_on(MONDAY) == (time(8, 0), time(15, 0))
    assert demo.branch.opening_hours_on(SATURDAY) is None
    assert demo.branch.opening_hours_on(INDEPENDENCE_DAY) is None
    assert demo.branch.opening_hours.for_day(INDEPENDENCE_DAY) == (time(8, 0), time(15, 0))


def test_service_without_own_hours_issues_while_the_branch_is_open(demo: BranchConfig) -> None:
    assert demo.issuing_hours_on("JHT", MONDAY) == (time(8, 0), time(15, 0))
    assert demo.issuing_hours_on("JHT", SATURDAY) is None
    assert demo.issuing_hours_on("JMO", INDEPENDENCE_DAY) is None


def test_transfer_rule_falls_back_to_the_queue_rule(demo: BranchConfig) -> None:
    assert demo.service("JHT").transfer_keeps_place is None
    assert demo.transfer_keeps_place("JHT") is demo.queue.transfer_keeps_place
    changed = demo.model_copy(update={"queue": demo.queue.model_copy(
        update={"transfer_keeps_place": False})})
    assert changed.transfer_keeps_place("JHT") is False
    assert changed.transfer_keeps_place("WAWANCARA") is True  # the service's own rule wins


def test_unknown_codes_raise_key_error(demo: BranchConfig) -> None:
    with pytest.raises(KeyError, match="XYZ"):
        demo.service("XYZ")
    with pytest.raises(KeyError, match="42"):
        demo.counter(42)


def test_settings_are_read_only(demo: BranchConfig) -> None:
    with pytest.raises(ValidationError):
        demo.branch.name = "Lain"


def test_a_saved_copy_validates_again(demo: BranchConfig) -> None:
    saved = demo.model_dump(mode="json")
    assert saved["branch"]["opening_hours"]["mon"] == ["08:00", "15:00"]
    assert BranchConfig.model_validate_json(demo.model_dump_json()) == demo
    assert BranchConfig.model_validate(demo.model_dump()) == demo


def test_weekly_hours_accept_toml_time_literals_and_strings() -> None:
    hours = WeeklyHours.model_validate({"mon": [time(7, 30), "12:00"]})
    assert hours.for_day(MONDAY) == (time(7, 30), time(12, 0))
    assert hours.for_day(date(2026, 8, 11)) is None
    assert format_hours((time(7, 30), time(12, 0))) == "07:30–12:00"


def test_usb_ids_accept_hex_text() -> None:
    printer = PrinterConfig.model_validate(
        {"kind": "usb", "vendor_id": "0x04b8", "product_id": 0x0202}
    )
    assert (printer.vendor_id, printer.product_id) == (0x04B8, 0x0202)


def test_counter_keeps_a_given_name() -> None:
    counter = CounterConfig.model_validate({"number": 3, "name": "Prioritas", "services": ["A"]})
    assert counter.name == "Prioritas"


def test_minimal_branch_takes_the_defaults() -> None:
    config = parse_branch_config(
        """
        [branch]
        code = "X1"
        name = "Kantor Uji"
        opening_hours = { sat = ["09:00", "12:00"] }
        [[services]]
        code = "S"
        prefix = "S"
        name_id = "Layanan"
        name_en = "Service"
        [[counters]]
        number = 1
        services = ["S"]
        """
    )
    assert config.queue.max_calls == 3
    assert config.queue.no_show_grace_minutes == 30
    assert config.printer.paper_mm == 80
    assert config.kiosk.languages == ["id", "en"]
    assert config.display.volume == 0.8
    assert config.branch.holidays == []
    assert config.issuing_hours_on("S", SATURDAY) == (time(9, 0), time(12, 0))


def test_the_stored_copy_reads_back_as_the_same_config() -> None:
    import json

    from shared.config import load_branch_config, stored_branch_config

    config = load_branch_config(DEMO)
    stored = json.loads(json.dumps(config.model_dump(mode="json")))
    assert stored_branch_config(stored) == config
