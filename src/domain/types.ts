import type { Category, Lodged, Perspective, Severity, Unit } from './taxonomy.js';

/** What a collector hands over: one public post, already mapped from the platform's format. */
export interface CollectedPost {
  externalId: string;
  url: string | null;
  /** The platform handle as published; pseudonymised before it is stored, never kept in clear. */
  authorHandle: string | null;
  text: string;
  lang: string | null;
  publishedAt: Date | null;
}

export interface Scored<T> {
  value: T;
  p: number;
}

/** Every taxonomy field for one post, each with the model's probability for the chosen value. */
export interface Classification {
  complaint: Scored<boolean>;
  policeRelated: Scored<boolean>;
  grievance: Scored<boolean>;
  category: Scored<Category | null>;
  lodged: Scored<Lodged | null>;
  perspective: Scored<Perspective | null>;
  severity: Scored<Severity | null>;
  unit: Scored<Unit>;
  /** Full distributions per field, for explanations and calibration. */
  distributions: Record<string, Record<string, number>>;
}

export interface Classifier {
  /** Recorded on every classification row; a new version means a new model. */
  readonly version: string;
  classify(texts: string[]): Promise<Classification[]>;
  close?(): Promise<void>;
}
