"""The counter terminal (loket): the officer's one-key workflow and the supervisor's board.

`main` builds the parts and passes them in; `window` holds the pages (`login_page`,
`desk_page`, `board_page`); `desk` and `board` keep each page's state and send its actions
through `link`, the one way to the store; `devices` wires the serial display and keypad.
"""
