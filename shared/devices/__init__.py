"""Counter hardware on serial lines, without Qt: the LED number display above a counter and
the caller keypad on the officer's desk.

Modules
-------
``port``            opening a serial port, and the problems a missing or unplugged one raises.
``settings``        each device's settings, declared once with defaults and limits.
``modbus``          Modbus RTU frames (write holding registers) and the CRC-16/MODBUS.
``number_display``  what bytes show a ticket number: a text template, or Modbus registers.
``display_feed``    a thread that keeps the display showing the latest number, retrying.
``keypad``          a thread that reads key bytes and hands back the action each one means.
"""
