"""The map of towns as a small SVG: a circle per town sized by its workers and coloured by its
share out today, and a dashed line for each committee link carrying news. A few dozen
elements, so redrawing it whole each frame costs well under a millisecond."""

from __future__ import annotations

import html

import numpy as np

from mutualdep.web.live import Snapshot

WIDTH, HEIGHT = 500, 340
QUIET, OUT = np.array([238, 238, 238]), np.array([198, 40, 40])  # 0% and 100% out
MANY = 14  # with more towns than this, labels and circles shrink


def share_colour(share: float) -> str:
    """Grey at nobody out to deep red at everyone out (full colour from half out)."""
    t = min(max(share / 0.5, 0.0), 1.0)
    r, g, b = (QUIET + t * (OUT - QUIET)).round().astype(int)
    return f"rgb({r},{g},{b})"


def town_map_svg(snap: Snapshot) -> str:
    n = len(snap.town_names)
    crowded = n > MANY
    margin = 55 if crowded else 125  # room for the labels left and right
    xy = snap.town_xy * np.array([WIDTH - 2 * margin, HEIGHT - 100]) + np.array([margin, 40])
    biggest = max(int(snap.town_workers.max()) if n else 1, 1)
    radius = (13 + 15 * np.sqrt(snap.town_workers / biggest)) * (0.5 if crowded else 1.0)
    font = 10 if crowded else 13
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" data-day="{snap.day}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'style="max-width:{WIDTH}px;font-family:sans-serif">'
    ]
    centre = np.zeros_like(xy)  # each region's ring centre: labels go outwards from it
    for r, region in enumerate(snap.region_names):
        members = snap.town_region == r
        if not members.any():
            continue
        centre[members] = xy[members].mean(axis=0)
        if len(snap.region_names) > 1:
            top = xy[members, 1].min() - radius[members].max() - 14
            parts.append(
                f'<text x="{centre[members][0, 0]:.0f}" y="{max(top, 12):.0f}" font-size="12" '
                f'fill="#777" text-anchor="middle">{html.escape(region)}</text>'
            )
    for a, b, weight in snap.links:
        (x1, y1), (x2, y2) = xy[a], xy[b]
        strong = weight >= 0.5  # a committee of the same region; others are faint
        if crowded and not strong:
            continue
        parts.append(
            f'<line class="link" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
            f'stroke="#ff7f0e" stroke-width="{2 if strong else 1}" stroke-dasharray="6 4" '
            f'opacity="{0.8 if strong else 0.25}"/>'
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
        dx, dy = xy[i] - centre[i]
        norm = float(np.hypot(dx, dy))
        ux, uy = (dx / norm, dy / norm) if norm > 1e-6 else (0.0, 1.0)
        anchor = "start" if ux > 0.35 else "end" if ux < -0.35 else "middle"
        gap = radius[i] + 4
        lx, ly = x + ux * gap, y + uy * gap + (font if uy > 0.35 else font / 3)
        parts.append(
            f'<text x="{lx:.0f}" y="{ly:.0f}" font-size="{font}" text-anchor="{anchor}">'
            f"{label}</text>"
        )
        if not crowded:  # the share inside the circle
            ink = "#fff" if share >= 0.25 else "#333"
            parts.append(
                f'<text x="{x:.0f}" y="{y + 4:.0f}" font-size="11" fill="{ink}" '
                f'text-anchor="middle">{share:.0%}</text>'
            )
    legend_y = HEIGHT - 8
    for k, share in enumerate((0.0, 0.1, 0.2, 0.3, 0.4, 0.5)):
        parts.append(
            f'<rect x="{20 + 22 * k}" y="{legend_y - 11}" width="22" height="11" '
            f'fill="{share_colour(share)}"/>'
        )
    parts.append(
        f'<text x="158" y="{legend_y}" font-size="12">0 to 50%+ out</text>'
        f'<line x1="270" y1="{legend_y - 5}" x2="300" y2="{legend_y - 5}" stroke="#ff7f0e" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="306" y="{legend_y}" font-size="12">committee news</text></svg>'
    )
    return "".join(parts)
