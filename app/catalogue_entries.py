"""The catalogue's entries (types and rules: ``app.catalogue``). Add an operation here once;
the menus, ``partita`` and the instruction planner find it, and ``tests/test_catalogue.py``
checks that its CLI command and menu entry exist (or that ``why_not`` says why one does not)."""
from __future__ import annotations

from app.catalogue import Operation, Param
from app.catalogue_instruct import INSTRUCT
from app.devices import DEVICES
from app.project import CURVE_NAMES, Role
from app.settings import GRIDS

PROJECT = Param("project", "file", "the .partita project (or a MIDI file) to read", required=True, positional=True)
OUTPUT = Param("output", "file", "where to write the result", required=True)
TRACKS = Param("tracks", "tracks", "the tracks, by name, comma-separated", required=True)
TRACK = Param("track", "track", "the track, by name", required=True)
BARS = Param("bars", "bars", "bars A-B, 1-based and inclusive (default: all bars)")
SEED = Param("seed", "int", "random seed: the same seed gives the same result", default=0, range=(0, 2**31 - 1))
DEVICE = Param("device", "choice", "where the model runs: auto = the GPU when torch sees one",
               default="auto", choices=DEVICES)
RATE = Param("sample_rate", "choice", "sample rate in Hz", default="44100", choices=("44100", "48000"))
DEPTH = Param("bit_depth", "choice", "WAV sample format", default="24", choices=("16", "24", "32f"))
EDIT = "apply {}"

FILES = (
    Operation("new", "New", "a new empty project", (
        Param("out", "file", "the project file to write", required=True, positional=True),
        Param("bars", "int", "length in bars", default=8, range=(1, 10000)),
        Param("tempo", "float", "tempo in BPM", default=120.0, range=(10, 999)),
        Param("time_signature", "meter", "the meter", default="4/4"),
        Param("key", "key", "the key, e.g. D:minor")), (), ("file",), cli="new", menu="File/New"),
    Operation("open", "Open", "open a project, MIDI or audio file in the window", (
        Param("file", "file", "the file to open", positional=True),), ("file",), (),
        cli="open", menu="File/Open…"),
    Operation("save", "Save", "write the project to its file", (), ("notes", "tracks", "audio", "curves", "song"),
              ("file",), cli=None, menu="File/Save",
              why_not="every command that changes a project writes it with -o; saving is the window's"),
    Operation("import", "Import files", "add MIDI or audio files as tracks", (
        PROJECT, Param("files", "file", "MIDI or audio files", required=True, positional=True)),
        ("file",), ("tracks", "notes", "audio"), cli="import", menu="File/Import files…"),
    Operation("info", "Info", "tracks, notes, length, tempo, key and curves of a file", (
        Param("input", "file", "a project, MIDI or audio file", required=True, positional=True),
        Param("json", "bool", "one JSON object", default=False)), ("file",), (), cli="info", menu=None,
        why_not="the window shows all of it all the time (tracks, transport, curve lanes)"),
    Operation("render", "Render", "the mix (and stems) as WAV files", (
        PROJECT, OUTPUT, Param("stems", "file", "a folder for one WAV per track"), RATE, DEPTH),
        ("notes", "tracks", "audio", "curves", "song"), ("file",), cli="render", menu="File/Export…",
        engine="render"),
    Operation("export", "Export", "MIDI, the mix and stems for a DAW", (
        PROJECT, Param("midi", "file", "a standard MIDI file to write"),
        Param("wav", "file", "the mix WAV to write"), Param("stems", "file", "a folder for one WAV per track"),
        RATE, DEPTH), ("notes", "tracks", "audio", "curves", "song"), ("file",), cli="export",
        menu="File/Export…", engine="render"),
)

ENGINES = (
    Operation("extract_controls", "Extract controls", "melody, dynamics and rhythm curves of an audio, "
              "MIDI or project file", (
                  Param("input", "file", "the audio, MIDI or project file", required=True, positional=True),
                  OUTPUT), ("audio", "notes", "file"), ("curves",), cli="controls",
              menu="Engines/Extract controls from…", engine="controls"),
    Operation("infill", "Infill", "new notes for the chosen tracks over a span of bars, conditioned on the rest", (
        PROJECT, OUTPUT, TRACKS, BARS, SEED,
        Param("temperature", "float", "lower is safer, higher bolder", default=0.8, range=(0.0, 5.0)),
        Param("variations", "int", "how many different results", default=1, range=(1, 32)),
        Param("scale_lock", "bool", "only notes of the project's key", default=False),
        Param("voices", "int", "simultaneous notes per written track", range=(1, 8)), DEVICE),
        ("notes", "song"), ("notes",), cli="infill", menu="Engines/Infill…", engine="compose"),
    Operation("generate", "Generate", "new parts (melody, harmony, bass, drums) that follow the melody, dynamics "
              "and rhythm curves, even partly drawn, and a prompt", (
                  Param("project", "file", "a project to write into (default: a new project)", positional=True),
                  OUTPUT,
                  Param("controls", "file", "a partita.controls/1 file: its curves replace the project's; a "
                        "project without notes takes its beats as tempo map and bar lines"),
                  Param("prompt", "text", "plain words: key, mode, tempo, meter, instruments, parts, register, "
                        "density, emotion, groove", default=""),
                  Param("tracks", "text", "tracks to write, by name or role (melody, harmony, bass, drums)"),
                  BARS,
                  Param("seconds", "float", "length of a new project in seconds", range=(1.0, 3600.0)),
                  Param("tempo", "float", "tempo of a new project in BPM", range=(10, 999)),
                  Param("key", "key", "the key to write in, e.g. D:minor"),
                  Param("time_signature", "meter", "meter of a new project, e.g. 3/4"),
                  SEED,
                  Param("temperature", "float", "lower is safer, higher bolder", default=0.8, range=(0.0, 5.0)),
                  Param("variations", "int", "how many different results", default=1, range=(1, 32)), DEVICE),
              ("notes", "song", "curves", "file"), ("notes", "tracks", "song", "curves"), cli="generate",
              menu="Engines/Generate", engine="generate"),
    Operation("separate", "Separate into stems", "split a song (an audio track or file) into drums, bass, "
              "other and vocals stems; in a project they are added as tracks grouped under the source, "
              "which is muted", (
                  Param("input", "file", "the audio file to separate", required=True, positional=True),
                  Param("output", "file", "the folder for drums.wav, bass.wav, other.wav and vocals.wav",
                        required=True),
                  Param("model", "choice", "embedded (shipped), hdemucs (downloaded once), dsp (no model) "
                        "or auto (hdemucs when installed)", default="auto",
                        choices=("auto", "embedded", "hdemucs", "dsp")), DEVICE),
              ("audio", "file"), ("tracks", "audio", "file"), cli="separate",
              menu="Engines/Separate into stems…", engine="separate"),
    Operation("transcribe", "Transcribe to MIDI", "the notes of an audio stem (melody, bass, drums or chords) "
              "as a new MIDI track beside it, or as a MIDI file", (
                  Param("audio", "file", "the audio file to transcribe", required=True, positional=True),
                  Param("output", "file", "the MIDI file to write", required=True),
                  Param("kind", "choice", "what the audio holds: auto = chosen from its name or the audio",
                        default="auto",
                        choices=("auto", "melody", "bass", "drums", "poly")),
                  Param("grid", "choice", "snap note starts to this grid (default: keep the played timing)",
                        choices=tuple(g for g in GRIDS if g != "off")),
                  Param("tempo", "float", "tempo of the MIDI file, BPM (default 120, or detected with grid)",
                        range=(10, 999)), DEVICE),
              ("audio", "file"), ("tracks", "notes", "file"), cli="transcribe",
              menu="Engines/Transcribe to MIDI…", engine="transcribe"),
    Operation("train", "Train the composer", "train or fine-tune the composer on MIDI files", (
        Param("data", "text", "MIDI folders/files, .npz pieces or music21 corpora, comma-separated", required=True),
        OUTPUT, Param("steps", "int", "training steps in all", default=1000, range=(1, 10**7)), DEVICE),
        ("file",), ("model",), cli="train", menu=None, engine="compose",
        why_not="training runs for minutes to hours, on one machine or several (torchrun); "
                "`partita models import` then puts the result in use"),
)

EDITS = (
    Operation("add_track", "Add track", "a new empty MIDI track", (
        Param("name", "text", "the track's name", default="MIDI"),
        Param("role", "choice", "what the track does", default="other", choices=tuple(r.value for r in Role)),
        Param("program", "int", "General MIDI program", default=0, range=(0, 127)),
        Param("drums", "bool", "a drum kit track", default=False)), ("tracks",), ("tracks",),
        cli=EDIT.format("add-track"), menu="Track/Add MIDI track", build="app.operations:add_track"),
    Operation("remove_track", "Delete track", "remove a track", (TRACK,), ("tracks",), ("tracks",),
              cli=EDIT.format("remove-track"), menu="Track/Delete track", build="app.operations:remove_track"),
    Operation("mute", "Mute track", "silence a track, or unmute it", (
        TRACK, Param("muted", "bool", "muted (no: unmute)", default=True)), ("tracks",), ("tracks",),
        cli=EDIT.format("mute"), menu="Track/Mute track…", build="app.operations:set_muted"),
    Operation("solo", "Solo track", "hear only the soloed tracks, or unsolo one", (
        TRACK, Param("solo", "bool", "soloed (no: unsolo)", default=True)), ("tracks",), ("tracks",),
        cli=EDIT.format("solo"), menu="Track/Solo track…", build="app.operations:set_solo"),
    Operation("transpose", "Transpose", "move notes up or down by semitones", (
        TRACKS, Param("semitones", "int", "semitones, negative = down", required=True, range=(-48, 48)), BARS),
        ("notes",), ("notes",), cli=EDIT.format("transpose"), menu="Edit/Transpose…",
        build="app.operations:transpose"),
    Operation("quantise", "Quantise", "move note starts onto a grid", (
        TRACKS, Param("grid", "choice", "the grid", default="1/16", choices=tuple(g for g in GRIDS if g != "off")),
        Param("strength", "float", "how far towards the grid, 0-1", default=1.0, range=(0.0, 1.0)), BARS),
        ("notes", "song"), ("notes",), cli=EDIT.format("quantise"), menu="Edit/Quantise…",
        build="app.operations:quantise"),
    Operation("humanise", "Humanise", "small random shifts of timing and velocity", (
        TRACKS, Param("timing_ms", "float", "largest shift of a start, ms", default=10.0, range=(0.0, 100.0)),
        Param("velocity", "int", "largest change of a velocity", default=8, range=(0, 64)), SEED, BARS),
        ("notes", "song"), ("notes",), cli=EDIT.format("humanise"), menu="Edit/Humanise…",
        build="app.operations:humanise"),
    Operation("change_tempo", "Tempo", "one tempo for the whole song", (
        Param("bpm", "float", "beats per minute", required=True, range=(10, 999)),), ("song",), ("song",),
        cli=EDIT.format("tempo"), menu="Edit/Tempo…", build="app.operations:change_tempo"),
    Operation("change_key", "Key", "the song's key, optionally moving every pitched note to it", (
        Param("key", "key", "the key, e.g. D:minor", required=True),
        Param("transpose_notes", "bool", "also transpose the notes", default=False)), ("song", "notes"),
        ("song", "notes"), cli=EDIT.format("key"), menu="Edit/Key…", build="app.operations:change_key"),
    Operation("change_meter", "Time signature", "the song's meter", (
        Param("time_signature", "meter", "e.g. 3/4 or 6/8", required=True),), ("song",), ("song",),
        cli=EDIT.format("meter"), menu="Edit/Time signature…", build="app.operations:change_meter"),
    Operation("set_curve", "Set curve", "a control curve over a span: a value, a ramp, or unspecified again", (
        Param("curve", "choice", "which curve", required=True, choices=CURVE_NAMES),
        Param("start", "seconds", "from (seconds)", required=True, range=(0.0, 36000.0)),
        Param("end", "seconds", "to (seconds)", required=True, range=(0.0, 36000.0)),
        Param("value", "float", "the value (melody: MIDI pitch; dynamics: dB <= 0; rhythm: onsets per "
              "second); leave out to make the span unspecified", range=(-120.0, 127.0)),
        Param("end_value", "float", "ramp to this value at the end", range=(-120.0, 127.0))),
        ("curves",), ("curves",), cli=EDIT.format("curve"), menu="Edit/Set curve…",
        build="app.operations:set_curve"),
)

ENTRIES: tuple[Operation, ...] = FILES + ENGINES + EDITS + INSTRUCT
