"""The fit check: a non-wrapping label, a button, a check box or a group title that needs more width than it
has, or a field's placeholder that is cut. Table cells may elide (their tooltip has the whole text); a label
that elides on purpose says so with the `elides` property and keeps the whole text in its tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit, QTabBar, QWidget

SLACK = 1  # px of rounding


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0


def fit_problems(root: QWidget) -> list[str]:
    problems = []
    for label in root.findChildren(QLabel):
        if not _visible(label) or label.wordWrap() or not label.text() or label.property("elides"):
            continue
        if label.pixmap() is not None and not label.pixmap().isNull():
            continue
        need = label.minimumSizeHint().width()
        if need > label.width() + SLACK:
            problems.append(f"label {label.text()!r} needs {need} px, has {label.width()}")
    for button in root.findChildren(QAbstractButton):
        if not _visible(button) or not button.text() or type(button).__name__ == "QToolButton" and \
                not button.text().strip():
            continue
        need = button.sizeHint().width()
        if need > button.width() + SLACK:
            problems.append(f"button {button.text()!r} needs {need} px, has {button.width()}")
    for group in root.findChildren(QGroupBox):
        if _visible(group) and group.title():
            need = group.fontMetrics().horizontalAdvance(group.title()) + 24
            if need > group.width() + SLACK:
                problems.append(f"group {group.title()!r} needs {need} px, has {group.width()}")
    for bar in root.findChildren(QTabBar):
        if not _visible(bar):
            continue
        for index in range(bar.count()):
            need = bar.fontMetrics().horizontalAdvance(bar.tabText(index).replace("&", ""))
            have = bar.tabRect(index).width() - 8
            if need > have + SLACK and bar.elideMode() != 0:
                problems.append(f"tab {bar.tabText(index)!r} needs {need} px, has {have}")
    for field in root.findChildren(QLineEdit):
        if not _visible(field) or field.text() or not field.placeholderText():
            continue
        margins = field.textMargins()
        have = field.width() - margins.left() - margins.right() - 24  # border + stylesheet padding + Qt's 2 px
        need = field.fontMetrics().horizontalAdvance(field.placeholderText())
        if need > have + SLACK:
            problems.append(f"placeholder {field.placeholderText()!r} needs {need} px, has {have}")
    return problems
