"""The taxonomy's label lists, read from src/domain/labels.json (one file for Python, the scripts and,
through a test, the TypeScript taxonomy)."""
from __future__ import annotations

import json
import os

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'domain', 'labels.json'), encoding='utf-8') as _fh:
    _LABELS = json.load(_fh)

CATEGORIES: list[str] = _LABELS['categories']
LODGED: list[str] = _LABELS['lodged']
PERSPECTIVES: list[str] = _LABELS['perspectives']
SEVERITIES: list[str] = _LABELS['severities']
UNITS: list[str] = _LABELS['units']
# Every head field with its class labels, in head order; binary fields are ['false', 'true'].
FIELDS: dict[str, list[str]] = {
    name: {'category': CATEGORIES, 'lodged': LODGED, 'perspective': PERSPECTIVES, 'severity': SEVERITIES}.get(name, ['false', 'true'])
    for name in _LABELS['headFields']
}
