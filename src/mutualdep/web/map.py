"""The map of towns as a small SVG: a circle per town sized by its workers and coloured by its
share out today, and a line for each committee link carrying news. A few dozen elements, so
redrawing it whole each frame costs less than a millisecond."""

from __future__ import annotations

import html

import numpy as np

from mutualdep.web.live import Snapshot

WIDTH, HEIGHT = 440, 330
QUIET, OUT = np.array([238, 238, 238]), np.array([198, 40, 40])  # 0% and 100% out


def share_colour(share: float) -> str:
    """Grey at nobody out to deep red at everyone out (full colour from half out)."""
    t = min(max(share / 0.5, 0.0), 1.0)
    r, g, b = (QUIET + t * (OUT - QUIET)).round().astype(int)
    return f"rgb({r},{g},{b})"


def town_map_svg(snap: Snapshot) -> str:
    xy = snap.town_xy * np.array([WIDTH - 80, HEIGHT - 70]) + np.array([40, 25])
    biggest = max(int(snap.town_workers.max()) if len(snap.town_workers) else 1, 1)
    radius = 8 + 22 * np.sqrt(snap.town_workers / biggest)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" data-day="{snap.day}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" style="max-width:{WIDTH}px;font-family:sans-serif">'
    ]
    for a, b, weight in snap.links:
        (x1, y1), (x2, y2) = xy[a], xy[b]
        parts.append(
            f'<line class="link" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
            f'stroke="#ff7f0e" stroke-width="{1 + 2 * min(weight, 1):.1f}" '
            f'stroke-dasharray="6 4" opacity="0.8"/>'
        )
    for i, name in enumerate(snap.town_names):
        x, y = xy[i]
        share = float(snap.town_share[i])
        label = html.escape(name)
        parts.append(
            f'<circle class="town" data-town="{label}" data-share="{share:.4f}" cx="{x:.0f}" '
            f'cy="{y:.0f}" r="{radius[i]:.0f}" fill="{share_colour(share)}" stroke="#555">'
            f"<title>{label}: {share:.0%} out of {int(snap.town_workers[i]):,}</title></circle>"
        )
        parts.append(
            f'<text x="{x:.0f}" y="{y + radius[i] + 13:.0f}" font-size="13" '
            f'text-anchor="middle">{label} {share:.0%}</text>'
        )
    legend_y = HEIGHT - 10
    for k, share in enumerate((0.0, 0.1, 0.2, 0.3, 0.4, 0.5)):
        parts.append(
            f'<rect x="{20 + 22 * k}" y="{legend_y - 11}" width="22" height="11" '
            f'fill="{share_colour(share)}"/>'
        )
    parts.append(f'<text x="158" y="{legend_y}" font-size="12">0 to 50%+ out</text>')
    parts.append(
        f'<line x1="262" y1="{legend_y - 5}" x2="292" y2="{legend_y - 5}" stroke="#ff7f0e" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="298" y="{legend_y}" font-size="12">committee link</text></svg>'
    )
    return "".join(parts)
