"""A GSM modem on the far end of a socat pty pair, run as its own process:
`python -m tests.support.fake_modem PTY --record FILE [--script ok cms:500 silent ...]`.

It answers AT commands as a modem does (3GPP TS 27.005 text mode): echo on until ATE0,
OK / ERROR, AT+CMGF=1 required before AT+CMGS, the "> " prompt, the text up to Ctrl-Z
(Esc cancels), then "+CMGS: <reference>" and OK. Each SMS it takes is written to the record
file as a JSON line: the number, the character set and the text's bytes in hex. `--script`
says what happens to each AT+CMGS in turn ("ok", "cms:<cause>" after the text, "refuse:<cause>"
instead of the prompt, "silent": no answer after the text, "no-prompt": no "> "); after the
script, every SMS is accepted.

The test side: `FakeModem(tmp_path, script)` starts socat and this process and yields the
port the channel opens.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import Self

import serial

from tests.support.fake_printer_process import REPO_ROOT, SocatPtyPair, _stop


class Modem:
    def __init__(self, port: serial.Serial, record: Path, script: list[str]) -> None:
        self.port = port
        self.record = record
        self.script = script
        self.echo = True
        self.text_mode = False
        self.charset = "IRA"
        self.reference = 0

    def run(self) -> None:
        line = b""
        while True:
            data = self.port.read(1)
            if not data:
                continue
            if self.echo:
                self.port.write(data)
            if data == b"\r":
                # V.250: whatever comes before the "AT" prefix is ignored.
                start = line.upper().find(b"AT")
                self.command(line[start:].strip().decode(errors="replace") if start >= 0
                             else line.strip().decode(errors="replace"))
                line = b""
            elif data != b"\n":
                line += data

    def answer(self, *lines: str) -> None:
        self.port.write(b"".join(f"\r\n{text}\r\n".encode() for text in lines))

    def command(self, command: str) -> None:
        upper = command.upper()
        if upper == "AT":
            self.answer("OK")
        elif upper in ("ATE0", "ATE1"):
            self.echo = upper == "ATE1"
            self.answer("OK")
        elif upper.startswith("AT+CMGF="):
            self.text_mode = upper.endswith("=1")
            self.answer("OK")
        elif found := re.fullmatch(r'AT\+CSCS="(GSM|IRA|UCS2)"', upper):
            self.charset = found[1]
            self.answer("OK")
        elif found := re.fullmatch(r'AT\+CMGS="(\+?\d+)"', upper):
            if not self.text_mode:
                self.answer("+CMS ERROR: 302")  # operation not allowed (PDU mode)
            else:
                self.take_text(found[1])
        elif command:
            self.answer("ERROR")

    def take_text(self, number: str) -> None:
        outcome = self.script.pop(0) if self.script else "ok"
        if outcome == "no-prompt":
            return
        if outcome.startswith("refuse:"):
            self.answer(f"+CMS ERROR: {outcome[7:]}")  # instead of the prompt
            return
        self.port.write(b"\r\n> ")
        text = b""
        while True:
            data = self.port.read(1)
            if data == b"\x1b":
                self.answer("OK")  # cancelled: nothing sent
                return
            if data == b"\x1a":
                break
            text += data
        if outcome == "silent":
            return
        if outcome.startswith("cms:"):
            self.answer(f"+CMS ERROR: {outcome[4:]}")
            return
        self.reference = (self.reference + 1) % 256
        with self.record.open("a", encoding="utf-8") as file:
            file.write(json.dumps({"number": number, "charset": self.charset,
                                   "text": text.hex()}) + "\n")
        self.answer(f"+CMGS: {self.reference}", "OK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port")
    parser.add_argument("--record", type=Path, required=True)
    parser.add_argument("--script", nargs="*", default=[])
    arguments = parser.parse_args()
    port = serial.Serial(arguments.port, 115200, timeout=0.1)
    print("ready", flush=True)
    Modem(port, arguments.record, list(arguments.script)).run()


class FakeModem:
    """socat's pty pair with the fake modem on the far end; `port` is the near end."""

    def __init__(self, folder: Path, script: list[str] | None = None) -> None:
        self.record = folder / "modem-sent.jsonl"
        self._script = script or []

    def __enter__(self) -> Self:
        self._ptys = SocatPtyPair().__enter__()
        self.port = self._ptys.near
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.fake_modem", self._ptys.far,
             "--record", str(self.record), "--script", *self._script],
            cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        ready = self.process.stdout.readline().strip()
        if ready != "ready":
            self.__exit__(None, None, None)
            raise RuntimeError(f"the fake modem did not start (said {ready!r})")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        _stop(self.process)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._ptys.__exit__(None, None, None)

    def sent(self) -> list[dict[str, str]]:
        """Each SMS the modem took: number, charset, and text as hex of its bytes."""
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text("utf-8").splitlines()]


if __name__ == "__main__":
    main()
