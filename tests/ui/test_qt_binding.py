"""The Qt binding in use keeps Python's reference counts right (PySide6 6.12.0 did not)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_many_show_and_set_visible_calls_end_cleanly() -> None:
    script = textwrap.dedent(
        """
        import os
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication, QPushButton
        app = QApplication([])
        button = QPushButton()
        for _ in range(5000):
            button.show()
            button.setVisible(False)
        print("done")
        """
    )
    process = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert process.returncode == 0, process.stderr[-400:]
    assert process.stdout.strip() == "done"
    assert "Fatal Python error" not in process.stderr
