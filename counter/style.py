"""The counter's look in one style sheet: big keys, strong contrast, state by colour."""

from __future__ import annotations

STYLE_SHEET = """
QWidget { font-size: 15px; color: #1b1f24; }
QMainWindow, QStackedWidget > QWidget { background: #eef2f6; }
#header { background: #0b3d6e; }
#header QLabel { color: #ffffff; font-size: 17px; }
#header #clock { font-size: 22px; font-weight: bold; }
#header QPushButton { background: #ffffff; color: #0b3d6e; border-radius: 6px;
                      padding: 6px 14px; font-weight: bold; }
QLabel#connectionBanner { background: #b3261e; color: #ffffff; font-size: 18px;
                          font-weight: bold; padding: 10px 16px; }
QLabel#deviceBanner { background: #f2b705; color: #1b1f24; font-size: 16px; padding: 8px 16px; }
#deskTitle { font-size: 20px; font-weight: bold; color: #0b3d6e; }
#ticketPanel { background: #ffffff; border: 2px solid #c4ccd6; border-radius: 12px; }
#ticketPanel[tone="called"] { background: #fff4d6; border-color: #e0a100; }
#ticketPanel[tone="serving"] { background: #e3f5e8; border-color: #2e8b57; }
#ticketNumber { font-size: 150px; font-weight: bold; color: #0b3d6e; }
#ticketStatus { font-size: 24px; font-weight: bold; color: #3c4650; }
#ticketService { font-size: 28px; }
#ticketCalls, #ticketWaited, #ticketRunning { font-size: 20px; }
#ticketPanel[tone="idle"] #ticketStatus { font-size: 30px; color: #5b6671; }
#ticketNote { font-size: 18px; font-style: italic; }
QLabel[tone="error"] { color: #b3261e; font-weight: bold; }
QLabel[tone="info"] { color: #0b3d6e; }
QPushButton[role="action"] { background: #0b3d6e; color: #ffffff; font-size: 16px;
                             font-weight: bold; border-radius: 8px; padding: 6px; }
QPushButton[role="action"]:disabled { background: #dfe4ea; color: #3c4650;
                                      border: 2px dashed #8a95a1; }
QPushButton[role="action"]:pressed { background: #072a4c; }
QGroupBox { font-weight: bold; color: #0b3d6e; border: 1px solid #c4ccd6; border-radius: 8px;
            margin-top: 14px; padding-top: 6px; background: #ffffff; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
QGroupBox[tone="error"] { border: 2px solid #b3261e; }
QTableView { background: #ffffff; gridline-color: #e1e6ec; font-size: 15px; }
QHeaderView::section { background: #e4e9ef; padding: 4px; border: none; font-weight: bold; }
#figures { font-size: 15px; color: #3c4650; }
#loginCard { background: #ffffff; border: 1px solid #c4ccd6; border-radius: 12px; }
#loginCard QLineEdit, #loginCard QComboBox { font-size: 18px; padding: 6px; min-height: 32px; }
#loginCard QLabel { font-size: 17px; }
#loginCard #loginTitle { font-size: 26px; font-weight: bold; color: #0b3d6e; padding-bottom: 8px; }
#loginCard #loginMessage { color: #b3261e; font-weight: bold; }
#signIn { background: #0b3d6e; color: #ffffff; font-size: 18px; font-weight: bold;
          border-radius: 8px; min-height: 44px; }
#boardMessage { color: #b3261e; font-weight: bold; }
#boardMessage[tone="info"] { color: #0b3d6e; font-weight: normal; }
QDialog { background: #ffffff; }
QDialog #dialogQuestion { font-size: 22px; font-weight: bold; color: #0b3d6e;
                          padding: 4px 0 10px 0; }
QDialog #dialogHint { font-size: 14px; color: #3c4650; }
QDialog QPushButton { background: #0b3d6e; color: #ffffff; font-size: 16px; font-weight: bold;
                      border-radius: 8px; padding: 8px 16px; min-height: 32px; }
QDialog QPushButton:disabled { background: #dfe4ea; color: #3c4650; }
QDialog QPushButton[tone="quiet"] { background: #e4e9ef; color: #1b1f24; }
#demandNote { color: #3c4650; font-size: 13px; font-weight: normal; }
"""
