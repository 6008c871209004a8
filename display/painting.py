"""Drawing text that fits its box: shrink it (down to a floor), then cut it short with '…'."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

# A line of text needs about this much height per pixel of font size (ascent plus descent).
LINE_HEIGHT = 1.2


def fit_font(base: QFont, text: str, width: float, height: float, min_px: int) -> QFont:
    """`base`, made smaller if `text` would not fit the box on one line; never below min_px."""
    px = base.pixelSize()
    target = min(px, int(height / LINE_HEIGHT))
    advance = QFontMetricsF(base).horizontalAdvance(text)
    if advance > width > 0:
        target = min(target, int(px * width / advance))
    if target >= px:
        return base
    fitted = QFont(base)
    fitted.setPixelSize(max(min_px, target, 1))
    return fitted


def draw_line(
    painter: QPainter,
    rect: QRectF,
    text: str,
    font: QFont,
    colour: QColor,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    min_px: int = 12,
    elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
) -> None:
    """One line of text in `rect`, vertically centred. Counter names are cut in the middle
    (`ElideMiddle`): "Meja W…ara 2" still says which desk."""
    fitted = fit_font(font, text, rect.width(), rect.height(), min_px)
    metrics = QFontMetricsF(fitted)
    if metrics.horizontalAdvance(text) > rect.width():
        text = metrics.elidedText(text, elide, rect.width())
    painter.setFont(fitted)
    painter.setPen(colour)
    painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), text)


def draw_wrapped(
    painter: QPainter,
    rect: QRectF,
    text: str,
    font: QFont,
    colour: QColor,
    min_px: int = 12,
    vertical_centre: bool = False,
) -> None:
    """Text wrapped at word boundaries in `rect`, shrunk step by step until it fits."""
    vertical = Qt.AlignmentFlag.AlignVCenter if vertical_centre else Qt.AlignmentFlag.AlignTop
    flags = int(Qt.AlignmentFlag.AlignLeft | vertical | Qt.TextFlag.TextWordWrap)
    fitted = QFont(font)
    while fitted.pixelSize() > min_px:
        bounds = QFontMetricsF(fitted).boundingRect(rect, flags, text)
        if bounds.height() <= rect.height() and bounds.width() <= rect.width():
            break
        fitted.setPixelSize(max(min_px, int(fitted.pixelSize() * 0.92)))
    painter.setFont(fitted)
    painter.setPen(colour)
    painter.save()
    painter.setClipRect(rect)
    painter.drawText(rect, flags, text)
    painter.restore()


def draw_pair(
    painter: QPainter,
    rect: QRectF,
    first: str,
    second: str,
    first_font: QFont,
    second_font: QFont,
    first_colour: QColor,
    second_colour: QColor,
    min_px: int = 12,
) -> bool:
    """'Indonesian · English' on one line: the English part only when all of it fits, so a
    narrow panel shows its Indonesian title whole rather than both cut short. True when the
    English part was drawn."""
    joiner = "  ·  "
    first_width = QFontMetricsF(first_font).horizontalAdvance(first)
    second_width = QFontMetricsF(second_font).horizontalAdvance(joiner + second)
    if not second or first == second or first_width + second_width > rect.width():
        draw_line(painter, rect, first, first_font, first_colour, min_px=min_px)
        return False
    draw_line(painter, rect, first, first_font, first_colour, min_px=min_px)
    rest = QRectF(rect.left() + first_width, rect.top(), rect.width() - first_width, rect.height())
    draw_line(painter, rest, joiner + second, second_font, second_colour, min_px=min_px)
    return True


def wrap_words(text: str, metrics: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most `max_lines`; what does not fit ends the last line '…'."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        rest = " ".join([lines.pop(), *words])
        lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


def lines_size(text: str, font: QFont, rect: QRectF, min_px: int, max_lines: int = 2) -> int:
    """The biggest pixel size, from `font`'s down to min_px, at which `text` fits `rect`
    whole on at most `max_lines` lines (min_px when it never does)."""
    fitted = QFont(font)
    px = font.pixelSize()
    while px > min_px:
        fitted.setPixelSize(px)
        metrics = QFontMetricsF(fitted)
        lines = wrap_words(text, metrics, rect.width(), max_lines)
        whole = " ".join(lines) == " ".join(text.split())
        if whole and metrics.height() * len(lines) <= rect.height():
            return px
        px = max(min_px, int(px * 0.94))
    return min_px


def draw_lines(
    painter: QPainter,
    rect: QRectF,
    text: str,
    font: QFont,
    colour: QColor,
    max_lines: int = 2,
    centred: bool = False,
    right: bool = False,
) -> None:
    """Text at `font`'s size on up to `max_lines` lines, vertically centred; what does not
    fit ends in '…' (pick the size with `lines_size`)."""
    metrics = QFontMetricsF(font)
    lines = wrap_words(text, metrics, rect.width(), max_lines)
    height = metrics.height() * len(lines)
    painter.setFont(font)
    painter.setPen(colour)
    top = rect.top() + max(0.0, (rect.height() - height) / 2)
    horizontal = Qt.AlignmentFlag.AlignLeft
    if centred or right:
        horizontal = Qt.AlignmentFlag.AlignHCenter if centred else Qt.AlignmentFlag.AlignRight
    flags = int(horizontal | Qt.AlignmentFlag.AlignVCenter)
    for line in lines:
        painter.drawText(QRectF(rect.left(), top, rect.width(), metrics.height()), flags, line)
        top += metrics.height()
