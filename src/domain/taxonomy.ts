// Machine names from ../shared/docs/taxonomy.md — the label contract. Keep in sync with that page.
export const CATEGORIES = [
  'bejegening', 'geweld', 'discriminatie', 'niet_optreden', 'aangifte', 'staandehouding',
  'verkeer', 'privacy', 'communicatie', 'integriteit', 'overig',
] as const;
export const LODGED = ['lodged', 'intends', 'declined', 'unknown'] as const;
export const PERSPECTIVES = ['first_hand', 'witness', 'second_hand'] as const;
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export const UNITS = [
  'noord_nederland', 'oost_nederland', 'midden_nederland', 'noord_holland', 'amsterdam', 'den_haag',
  'rotterdam', 'zeeland_west_brabant', 'oost_brabant', 'limburg', 'landelijke_eenheid', 'unknown',
] as const;
export const SIGNAL_STATES = ['new', 'confirmed', 'dismissed', 'duplicate', 'escalated'] as const;
export const ROLES = ['admin', 'coordinator', 'analyst', 'integration'] as const;

export type Category = (typeof CATEGORIES)[number];
export type Lodged = (typeof LODGED)[number];
export type Perspective = (typeof PERSPECTIVES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Unit = (typeof UNITS)[number];
export type SignalState = (typeof SIGNAL_STATES)[number];
export type Role = (typeof ROLES)[number];
