"""A quiet, light look for a luxury store: warm neutrals, generous spacing, one accent colour."""

STYLE = """
QWidget { font-size: 14px; color: #2b2622; }
QMainWindow, QDialog, QStackedWidget > QWidget { background: #faf8f5; }
QFrame#panel { background: #ffffff; border: 1px solid #e6dfd6; border-radius: 10px; padding: 24px; }
QLabel#brand { font-family: Georgia, serif; font-size: 24px; color: #2b2622; }
QLabel#muted { color: #8a8178; }
QLabel#warning { color: #9a6b00; }
QLabel#fieldError { color: #a12c2c; font-size: 12px; }
QLabel#editorTitle { color: #6d655c; }
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit { background: #ffffff; border: 1px solid #d9d1c7;
    border-radius: 6px; padding: 5px 8px; selection-background-color: #e9dcc7; selection-color: #2b2622; }
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus { border: 1px solid #a88a5c; }
QLineEdit#search { font-size: 17px; padding: 8px 12px; }
QLineEdit[invalid="true"] { border: 1px solid #a12c2c; }
QPushButton { background: #ffffff; border: 1px solid #d9d1c7; border-radius: 6px; padding: 6px 14px; }
QPushButton:hover { border-color: #a88a5c; }
QPushButton:default { background: #2b2622; color: #faf8f5; border-color: #2b2622; }
QPushButton:disabled { color: #b8b0a6; }
QTableView { background: #ffffff; alternate-background-color: #fbf9f6; border: 1px solid #e6dfd6;
    border-radius: 6px; selection-background-color: #efe4d2; selection-color: #2b2622; }
QHeaderView::section { background: #faf8f5; border: none; border-bottom: 1px solid #e6dfd6; padding: 6px;
    color: #8a7a66; font-size: 12px; }
QTextBrowser#card { background: #ffffff; border: 1px solid #e6dfd6; border-radius: 6px; padding: 14px; }
QFrame#momentEditor { background: #fffdf9; border: 1px solid #e0cfae; border-radius: 6px; }
QStatusBar { background: #f3efe9; }
QMenuBar { background: #faf8f5; }
QListWidget { background: #ffffff; border: 1px solid #e6dfd6; border-radius: 6px; padding: 4px; }
QListWidget::item { padding: 6px; }
QListWidget::item:selected { background: #efe4d2; color: #2b2622; }
"""
