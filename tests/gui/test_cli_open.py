"""``partita open`` and bare ``partita``: which document the window gets, and bad files."""
from __future__ import annotations

from ui.cli import main
from app.projectfile import save_project
from tests.gui.factory import demo_project


def test_open_hands_the_file_to_the_window(monkeypatch, tmp_path):
    opened = {}

    def fake_run(document, *, recover=True, opened_from=None):
        opened["doc"], opened["recover"], opened["from"] = document, recover, opened_from
        return 0

    monkeypatch.setattr("ui.app.run", fake_run)
    path = tmp_path / "song.partita"
    save_project(demo_project(), path)
    assert main(["open", str(path)]) == 0
    assert opened["doc"].project.name == "Demo" and opened["doc"].path == path and opened["recover"]
    assert opened["from"] == path, "the window is told the file (a song's grid is detected there)"
    assert main([]) == 0  # bare `partita`: the demo if installed, else a new project
    assert opened["doc"].project.name in ("Demo", "Untitled") or opened["doc"].path.name == "demo.partita"
    assert main(["open", "--no-recovery", str(path)]) == 0 and opened["recover"] is False


def test_open_refuses_missing_and_unknown_files(capsys, tmp_path):
    assert main(["open", str(tmp_path / "nope.mid")]) == 2
    assert capsys.readouterr().err.startswith("partita: error: ")
    (tmp_path / "notes.txt").write_text("x")
    assert main(["open", str(tmp_path / "notes.txt")]) == 2
    assert "unknown file type" in capsys.readouterr().err
