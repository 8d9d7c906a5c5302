"""A project -> one stereo stem per track and their mix, re-rendering only what changed.

Rules (documented for users in the README):
- Every track gets a stem, muted ones too, so a DAW user can unmute them;
  the mix holds the audible tracks (mute and solo, ``Project.audible``), so the
  stems of the audible tracks sum to the mix.
- Stems and mix start at 0:00 and have equal length: the project's length or,
  when longer, the end of the last release tail or audio clip.
- The project's dynamics curve shapes every MIDI track (NaN = as the notes say).
- Gain staging is fixed, so an edit changes only the audio it touches: a
  constant master gain on every stem (``MixConfig.master_gain_db``), then a
  limiter only where the mix or an audible stem would peak above -1 dBFS
  (``engines.render.limiter``). The audible stems and the mix share the
  limiter's gain, so the stems still sum to the mix; a muted stem, which is
  not in the mix, gets a limiter of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.project import AudioTrack, MidiTrack, Project
from app.rendered_tracks import RenderedTracks, part_for_track, track_key
from engines.common import CancelToken, Progress, no_progress
from engines.render import RenderConfig, RenderedPart, SoundFont, render_part
from engines.render.limiter import MixConfig, apply_regions, limiter_regions
from engines.render.mix import apply_gain_pan, fit_length, to_stereo

AUTO = "auto"
"""``sound_font=AUTO``: use ``app.soundfonts.chosen_soundfont()``."""


@dataclass(frozen=True, eq=False)
class Mixdown:
    """A rendered project.

    stems: track id -> float32 (2, n) at ``sample_rate``, for every track, from 0:00.
    mix: float32 (2, n), the sum of the audible tracks' stems.
    backend: which synthesiser played the MIDI tracks ("builtin",
        "soundfont:NAME", or both joined by " + " when they differed).
    notes: sentences for the user, e.g. why a SoundFont was not used.
    limited: (start, stop) sample spans where the limiter turned the mix down.
    """

    sample_rate: int
    stems: dict[str, np.ndarray]
    mix: np.ndarray
    backend: str
    notes: tuple[str, ...] = field(default=())
    limited: tuple[tuple[int, int], ...] = field(default=())

    @property
    def seconds(self) -> float:
        return self.mix.shape[1] / self.sample_rate


def render_project(project: Project, *, sample_rate: int = 44100,
                   progress: Progress = no_progress, cancel: CancelToken | None = None,
                   cache: RenderedTracks | None = None, config: RenderConfig | None = None,
                   sound_font: SoundFont | None | str = AUTO,
                   mix_config: MixConfig = MixConfig()) -> Mixdown:
    """Render every track of ``project`` and mix the audible ones (see the module rules).

    cache: reuse renders of unchanged tracks (the GUI keeps one per document).
    sound_font: a SoundFont, None for the built-in synth, or AUTO to look one up.
    """
    config = config or RenderConfig()
    if isinstance(sound_font, str):
        from app.soundfonts import chosen_soundfont

        sound_font = chosen_soundfont()
    cache = cache if cache is not None else RenderedTracks()
    raw, backends, notes = _render_tracks(project, sample_rate, config, sound_font, progress,
                                          cancel, cache)
    n = max([int(np.ceil(project.duration * sample_rate)), *(a.shape[1] for a in raw.values())])
    master = np.float32(mix_config.master_gain)
    stems = {tid: fit_length(audio, n) * master for tid, audio in raw.items()}
    audible = [t.id for t in project.tracks if project.audible(t)]
    mix = np.zeros((2, n), dtype=np.float32)
    for track_id in audible:
        mix += stems[track_id]
    regions = limiter_regions([mix, *(stems[i] for i in audible)], sample_rate, mix_config)
    mix = apply_regions(mix, regions)
    for track_id in stems:
        own = regions if track_id in audible else limiter_regions([stems[track_id]], sample_rate,
                                                                   mix_config)
        stems[track_id] = apply_regions(stems[track_id], own)
    progress(1.0, "rendered")
    return Mixdown(sample_rate, stems, mix, " + ".join(sorted(backends)) or "builtin",
                   tuple(dict.fromkeys(notes)), tuple((r.start, r.stop) for r in regions))


def _render_tracks(project: Project, sample_rate: int, config: RenderConfig,
                   sound_font: SoundFont | None, progress: Progress,
                   cancel: CancelToken | None, cache: RenderedTracks
                   ) -> tuple[dict[str, np.ndarray], set[str], list[str]]:
    """track id -> float32 (2, m) before headroom; the backends that played; user notes."""
    dynamics = _dynamics(project)
    raw: dict[str, np.ndarray] = {}
    backends: set[str] = set()
    notes: list[str] = []
    total = max(len(project.tracks), 1)
    for index, track in enumerate(project.tracks):
        if cancel is not None:
            cancel.check()
        progress(index / total, f"rendering {track.name}")
        if isinstance(track, AudioTrack):
            raw[track.id] = _audio_stem(track, project.sample_rate, sample_rate)
            continue
        rendered = _midi_stem(project, track, dynamics, sample_rate, config, sound_font,
                              cache, _sub_progress(progress, index, total), cancel)
        raw[track.id] = rendered.audio
        backends.add(rendered.backend)
        if rendered.note:
            notes.append(rendered.note)
    cache.keep_only({t.id for t in project.tracks})
    return raw, backends, notes


def _midi_stem(project: Project, track: MidiTrack, dynamics: np.ndarray | None,
               sample_rate: int, config: RenderConfig, sound_font: SoundFont | None,
               cache: RenderedTracks, progress: Progress, cancel: CancelToken | None
               ) -> RenderedPart:
    """The track's RenderedPart, from the cache when nothing it depends on changed."""
    part = part_for_track(project, track, dynamics)
    key = track_key(part, sample_rate, config, sound_font)
    found = cache.get(track.id, key)
    if found is not None:
        return found
    rendered = render_part(part, sample_rate=sample_rate, config=config,
                           sound_font=sound_font, progress=progress, cancel=cancel)
    cache.put(track.id, key, rendered)
    return rendered


def _audio_stem(track: AudioTrack, source_rate: int, sample_rate: int) -> np.ndarray:
    """An audio track as float32 (2, m) at ``sample_rate`` from 0:00, gain and pan applied."""
    from app.audio_io import resample

    stereo = to_stereo(track.samples)
    stereo = resample(stereo, source_rate, sample_rate)
    return apply_gain_pan(stereo, track.gain_db, track.pan)


def _dynamics(project: Project) -> np.ndarray | None:
    """The project's dynamics curve, or None when no frame of it is specified."""
    curve = project.curve("dynamics")
    return curve if np.isfinite(curve).any() else None


def _sub_progress(progress: Progress, index: int, total: int) -> Progress:
    def report(fraction: float, message: str = "") -> None:
        progress((index + fraction) / total, message)
    return report
