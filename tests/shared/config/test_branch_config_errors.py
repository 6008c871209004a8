"""A bad branch file fails with one plain line per problem, naming the file, key, value and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.config import ConfigError, load_branch_config, parse_branch_config

DEMO_TEXT = (
    Path(__file__).resolve().parents[3] / "assets" / "config" / "demo-branch.toml"
).read_text(encoding="utf-8")


def edited(*replacements: tuple[str, str]) -> str:
    """The demo file with some lines changed; each original must occur exactly once."""
    text = DEMO_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, f"demo file changed: {old!r}"
        text = text.replace(old, new)
    return text


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_branch_config(text, "demo.toml")
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


SINGLE_PROBLEMS = [
    pytest.param(
        ('prefix = "B"', 'prefix = "a1"'),
        "demo.toml: services[code=JKM].prefix: 'a1' is not allowed; "
        "use one or two capital letters (A-Z)",
        id="prefix-pattern",
    ),
    pytest.param(
        ('code = "SRG"', 'code = "srg"'),
        "demo.toml: branch.code: 'srg' is not allowed; "
        "use 1 to 16 capital letters, digits, '_' or '-' (e.g. 'SRG')",
        id="branch-code-pattern",
    ),
    pytest.param(
        ('timezone = "Asia/Jakarta"', 'timezone = "Asia/Jakrta"'),
        "demo.toml: branch.timezone: 'Asia/Jakrta' is not allowed; use an IANA time zone name: "
        "'Asia/Jakarta' (WIB), 'Asia/Makassar' (WITA) or 'Asia/Jayapura' (WIT)",
        id="timezone",
    ),
    pytest.param(
        ('tue = ["08:00", "15:00"]', 'tue = ["15:00", "08:00"]'),
        "demo.toml: branch.opening_hours.tue: ['15:00', '08:00'] is not allowed; "
        'use a pair of times ["HH:MM", "HH:MM"] with the start before the end',
        id="hours-reversed",
    ),
    pytest.param(
        ('wed = ["08:00", "15:00"]', 'wed = ["8 pagi", "15:00"]'),
        "demo.toml: branch.opening_hours.wed: ['8 pagi', '15:00'] is not allowed; "
        'use a pair of times ["HH:MM", "HH:MM"] with the start before the end',
        id="hours-not-a-time",
    ),
    pytest.param(
        ('thu = ["08:00", "15:00"]', 'thu = [08:00:30, 15:00:00]'),
        "demo.toml: branch.opening_hours.thu: [08:00:30, 15:00:00] is not allowed; "
        'use a pair of times ["HH:MM", "HH:MM"] with the start before the end',
        id="hours-with-seconds",
    ),
    pytest.param(
        ("max_calls = 3 ", "max_calls = 0 "),
        "demo.toml: queue.max_calls: 0 is not allowed; use a whole number from 1 to 10",
        id="int-range",
    ),
    pytest.param(
        ("mean_service_minutes = 4\n", "mean_service_minutes = 0.1\n"),
        "demo.toml: services[code=INFO].mean_service_minutes: 0.1 is not allowed; "
        "use a number from 0.5 to 240",
        id="float-range",
    ),
    pytest.param(
        ("max_calls = 3 ", 'max_calls = "3" '),
        "demo.toml: queue.max_calls: '3' is not allowed; use a whole number (without quotes)",
        id="quoted-number",
    ),
    pytest.param(
        ("announce = true", 'announce = "ya"'),
        "demo.toml: display.announce: 'ya' is not allowed; use true or false (without quotes)",
        id="quoted-bool",
    ),
    pytest.param(
        ('kind = "virtual"', 'kind = "laser"'),
        "demo.toml: printer.kind: 'laser' is not allowed; "
        "use 'virtual', 'network', 'serial', 'usb' or 'file'",
        id="printer-kind",
    ),
    pytest.param(
        ("paper_mm = 80", "paper_mm = 57"),
        "demo.toml: printer.paper_mm: 57 is not allowed; use 58 or 80",
        id="paper-width",
    ),
    pytest.param(
        ("2026-01-01, #", '"2026-01-01", #'),
        "demo.toml: branch.holidays[1]: '2026-01-01' is not allowed; "
        "use a date such as 2026-08-17 (without quotes)",
        id="quoted-date",
    ),
    pytest.param(
        ("daily_quota = 40", "daily_qouta = 40"),
        "demo.toml: services[code=JMO].daily_qouta: unknown key; did you mean 'daily_quota'?",
        id="unknown-key-typo",
    ),
    pytest.param(
        ("[kiosk]", "[kiosk]\nwarna = 1"),
        "demo.toml: kiosk.warna: unknown key; allowed here: "
        "idle_seconds, result_seconds, languages, maintenance_pin",
        id="unknown-key",
    ),
    pytest.param(
        ("[display]", "[dispaly]"),
        "demo.toml: dispaly: unknown key; did you mean 'display'?",
        id="unknown-section",
    ),
    pytest.param(
        ('name = "BPJS Ketenagakerjaan Kantor Cabang Serang"\n', ""),
        "demo.toml: branch.name: missing; this key is required",
        id="missing-key",
    ),
    pytest.param(
        ('services = ["JKK_JP", "JKM"]', 'services = ["JKK_JP", "XYZ"]'),
        "demo.toml: counters[number=6].services[2]: 'XYZ' is not a service of this branch; "
        "use one of JHT, JKM, JKK_JP, JMO, INFO, WAWANCARA",
        id="counter-unknown-service",
    ),
    pytest.param(
        ('services = ["JHT", "JKM"]', 'services = ["JHT", "JKM", "JHT"]'),
        "demo.toml: counters[number=4].services[3]: 'JHT' is listed twice",
        id="counter-lists-service-twice",
    ),
    pytest.param(
        ('prefix = "B"', 'prefix = "A"'),
        "demo.toml: services[code=JKM].prefix: 'A' is not allowed; "
        "service JHT already uses it and each prefix must be unique",
        id="duplicate-prefix",
    ),
    pytest.param(
        ("[printer]", '[[services]]\ncode = "JHT"\nprefix = "G"\nname_id = "x"\nname_en = "x"\n'
                      "[printer]"),
        "demo.toml: services[7].code: 'JHT' is not allowed; "
        "services[1] already uses it and each code must be unique",
        id="duplicate-service-code",
    ),
    pytest.param(
        ("number = 2\n", "number = 1\n"),
        "demo.toml: counters[2].number: 1 is not allowed; "
        "counters[1] already uses it and each number must be unique",
        id="duplicate-counter",
    ),
    pytest.param(
        ('services = ["INFO", "JMO"]', 'services = ["JMO"]'),
        "demo.toml: services[code=INFO].code: no counter serves 'INFO', so nobody could call "
        "its tickets; add it to some counter's services",
        id="service-nobody-calls",
    ),
    pytest.param(
        ('mon = ["08:00", "08:30"]', 'mon = ["07:30", "08:30"]'),
        "demo.toml: services[code=JMO].issuing_hours.mon: 07:30–08:30 is not allowed; tickets "
        "can only be issued while the branch is open, and on mon it is open 08:00–15:00",
        id="issuing-before-opening",
    ),
    pytest.param(
        ('fri = ["08:00", "08:30"]', 'fri = ["08:00", "08:30"]\nsat = ["08:00", "08:30"]'),
        "demo.toml: services[code=JMO].issuing_hours.sat: 08:00–08:30 is not allowed; tickets "
        "can only be issued while the branch is open, and on sat it is closed",
        id="issuing-on-closed-day",
    ),
    pytest.param(
        ('kind = "virtual"', 'kind = "network"\nhost = ""'),
        'demo.toml: printer.host: a network printer needs host = "<IP address>"',
        id="network-needs-host",
    ),
    pytest.param(
        ('kind = "virtual"', 'kind = "serial"'),
        'demo.toml: printer.device: a serial printer needs device = "/dev/ttyUSB0"',
        id="serial-needs-device",
    ),
    pytest.param(
        ('kind = "virtual"', 'kind = "usb"\nvendor_id = "0x04b8"'),
        "demo.toml: printer.product_id: a usb printer needs product_id (see lsusb, e.g. 0x04b8)",
        id="usb-needs-ids",
    ),
    pytest.param(
        ('kind = "virtual"', 'kind = "usb"\nvendor_id = "04b8"\nproduct_id = 514'),
        "demo.toml: printer.vendor_id: '04b8' is not allowed; "
        'use a number such as 0x04b8 (without quotes) or "0x04b8"',
        id="usb-id-text",
    ),
    pytest.param(
        ('maintenance_pin = ""', 'maintenance_pin = "12"'),
        "demo.toml: kiosk.maintenance_pin: '12' is not allowed; "
        'use 4 to 12 digits, or "" to require a supervisor login',
        id="short-pin",
    ),
    pytest.param(
        ('languages = ["id", "en"]', 'languages = ["id", "id"]'),
        "demo.toml: kiosk.languages[2]: 'id' is listed twice",
        id="language-twice",
    ),
    pytest.param(
        ('number = 1\nservices = ["JHT"]', "number = 1\nservices = []"),
        "demo.toml: counters[number=1].services: [] is not allowed; list at least 1 entry",
        id="counter-without-services",
    ),
]


@pytest.mark.parametrize(("replacement", "expected"), SINGLE_PROBLEMS)
def test_each_rule_gives_one_line(replacement: tuple[str, str], expected: str) -> None:
    assert problems(edited(replacement)) == [expected]


def test_a_10_kb_name_is_rejected_with_its_length() -> None:
    name = "Kantor " * 1500
    text = edited(('name = "BPJS Ketenagakerjaan Kantor Cabang Serang"', f'name = "{name}"'))
    assert problems(text) == [
        "demo.toml: branch.name: 'Kantor Kantor Kantor Kantor Kantor Ka…' is too long "
        "(10500 characters); use at most 120 characters"
    ]


def test_several_problems_give_several_lines_in_file_order() -> None:
    text = edited(
        ('timezone = "Asia/Jakarta"', 'timezone = "WIB"'),
        ("max_calls = 3 ", "max_calls = 11 "),
        ('prefix = "C"', 'prefix = "c"'),
        ("volume = 0.8", 'volume = "keras"'),
        ("[kiosk]", "[kiosk]\nbahasa = 1"),
    )
    found = problems(text)
    assert [line.split(": ")[1] for line in found] == [
        "branch.timezone",
        "queue.max_calls",
        "services[code=JKK_JP].prefix",
        "display.volume",
        "kiosk.bahasa",
    ]
    assert all(line.startswith("demo.toml: ") and "\n" not in line for line in found)


def test_missing_sections_say_what_to_add() -> None:
    assert problems('[branch]\ncode = "SRG"\nname = "Serang"\n') == [
        "demo.toml: branch.opening_hours: missing; add [branch.opening_hours]",
        "demo.toml: services: missing; add at least one [[services]] table",
        "demo.toml: counters: missing; add at least one [[counters]] table",
    ]


def test_a_section_written_as_a_single_table_is_explained() -> None:
    text = """
        [branch]
        code = "X"
        name = "Kantor Uji"
        opening_hours = { mon = ["08:00", "12:00"] }
        [services]
        code = "S"
        [[counters]]
        number = 1
        services = ["S"]
    """
    assert problems(text) == [
        "demo.toml: services: a table is not allowed; write each entry as a [[services]] table"
    ]


def test_toml_syntax_error_names_line_and_column() -> None:
    text = edited(("max_calls = 3 ", "max_calls = = 3 "))
    line = 1 + text[: text.index("max_calls = = 3")].count("\n")
    assert problems(text) == [
        f"demo.toml: line {line}, column 13: TOML syntax error: Invalid value"
    ]


def test_duplicate_key_is_a_syntax_error() -> None:
    [line] = problems('[branch]\ncode = "A"\ncode = "B"\n')
    assert line.startswith("demo.toml: line 3, column ")
    assert "TOML syntax error" in line


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "cabang.toml"
    with pytest.raises(ConfigError) as caught:
        load_branch_config(path)
    assert caught.value.problems == [f"{path}: file not found (looked for {path})"]


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        load_branch_config(tmp_path)


def test_file_over_1_mb(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text(DEMO_TEXT + "#" * (1024 * 1024), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_branch_config(path)
    assert caught.value.problems == [
        f"{path}: is larger than 1 MB; a branch file is a few kilobytes of TOML text"
    ]


def test_text_over_1_mb() -> None:
    assert problems("#" * (1024 * 1024 + 1)) == [
        "demo.toml: is larger than 1 MB; a branch file is a few kilobytes of TOML text"
    ]


def test_file_not_in_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(DEMO_TEXT.replace("–", "-").encode("utf-8") + "# café".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"is not UTF-8 text .*save it with UTF-8 encoding"):
        load_branch_config(path)


def test_file_with_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + DEMO_TEXT.encode("utf-8"))
    assert load_branch_config(path).branch.code == "SRG"


def test_errors_from_a_file_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "serang.toml"
    path.write_text(edited(('prefix = "B"', 'prefix = "a1"')), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_branch_config(str(path))
    assert caught.value.problems == [
        f"{path}: services[code=JKM].prefix: 'a1' is not allowed; "
        "use one or two capital letters (A-Z)"
    ]


@pytest.mark.parametrize(
    "nested",
    [
        "x = " + "[" * 400 + "]" * 400,  # the parser or the message ran out of stack
        "x = " + "{a = " * 400 + "1" + "}" * 400,
        "x = " + "[" * 5000 + "]" * 5000,
        # Parses, but the value shown in the message was drawn one nesting at a time.
        edited(('prefix = "B"', "prefix = " + "[" * 400 + "]" * 400)),
    ],
    ids=["arrays-400", "inline-tables-400", "arrays-5000", "value-400"],
)
def test_deeply_nested_brackets_are_refused_naming_the_file(
    tmp_path: Path, nested: str
) -> None:
    path = tmp_path / "nested.toml"
    path.write_text(nested, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_branch_config(path)
    # Refused like any other bad file, whether the parser or the checks met the nesting.
    assert caught.value.problems
    assert all(problem.startswith(f"{path}: ") for problem in caught.value.problems)


def test_too_deep_for_the_parser_says_so() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_branch_config("x = " + "[" * 5000 + "]" * 5000, "deep.toml")
    assert caught.value.problems == [
        "deep.toml: brackets are nested too deeply (arrays or inline tables inside each other "
        "hundreds of times); a branch file needs only a few levels"
    ]
