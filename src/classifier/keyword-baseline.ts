import type { Category, Lodged, Perspective, Severity, Unit } from '../domain/taxonomy.js';
import type { Classification, Classifier } from '../domain/types.js';

/**
 * A transparent keyword baseline: readable rules, no learning. It exists so the pipeline runs end to
 * end before (or without) the transformer model, and as the floor the model must beat. Its
 * "probabilities" are rule confidences, not calibrated estimates; its version string says so.
 */
export const KEYWORD_BASELINE_VERSION = 'keyword-baseline-1';

const POLICE = /\b(politie\w*|agent(e|en|es)?|wijkagent\w*|wout(en)?|juten|pliesie|smeris(sen)?|diender|blauw op straat|112|0900[- ]?8844|police|cops?|officers?|policeman|policemen)\b/i;
const DISPLEASURE = /\b(boos|woedend|schandalig|schande|belachelijk|walgelijk|kut|klote|shit|wtf|waardeloos|respectloos|onbeschoft|arrogant|racis\w*|discrimin\w*|geweigerd|weigerde|niemand kwam|kwam(en)? niet|niks gedaan|niets gedaan|uitgelachen|geslagen|sloeg|schopte|geschopt|pepperspray|taser|hardhandig|klacht\w*|pissed|angry|disgusting|rude|racist|refused|ignored|useless|unacceptable|outrageous|furious)\b/i;
const PAST_EVENT = /\b(gisteren|vannacht|vanochtend|vanmiddag|vanavond|net|vorige week|zojuist|werd|werden|heb|hebben|had|kwam|zei|sloeg|hield|yesterday|last night|today|was|were|did|told|stopped)\b/i;

const CATEGORY_RULES: [Category, RegExp][] = [
  ['geweld', /\b(sloeg|geslagen|schop\w*|pepperspray|wapenstok|taser|hond|handboeien|tegen de grond|bloed\w*|gewond|hit|kicked|beat|tased|pepper spray|bleeding)\b/i],
  ['discriminatie', /\b(racis\w*|discrimin\w*|etnisch profiler\w*|huidskleur|kleur|marokkaan\w*|afkomst|hoofddoek|homo\w*|racial\w*|profiling|skin colou?r)\b/i],
  ['niet_optreden', /\b(niemand kwam|kwam(en)? niet|kwam(en)? pas|niks gedaan|niets gedaan|deden niks|deden niets|never came|didn't come|did nothing|nobody came)\b/i],
  ['aangifte', /\b(aangifte\w*|geseponeerd|sepot|police report|file a report)\b/i],
  ['staandehouding', /\b(staande gehouden|aangehouden|gefouilleerd|fouiller\w*|id[- ]?controle|legitimatie|cel|boete|bekeuring|bon|stopped me|searched|arrested|frisked|fined)\b/i],
  ['verkeer', /\b(rood licht|door rood|fietspad geparkeerd|zonder sirene|scheurde|te hard|red light|speeding)\b/i],
  ['privacy', /\b(gefilmd|filmde|foto\w*|gegevens|privacy|gelekt|filmed|my data|leaked)\b/i],
  ['communicatie', /\b(onbereikbaar|teruggebeld|terugbellen|nooit iets gehoord|niks gehoord|geen reactie|no callback|never heard back|no response)\b/i],
  ['integriteit', /\b(loog|gelogen|liegen|corrupt\w*|machtsmisbruik|bedreigd|dreigde|lied|abuse of power|threatened)\b/i],
  ['bejegening', /\b(onbeschoft|arrogant|uitgelachen|schreeuwde|respectloos|neerbuigend|uitgescholden|rude|shouted|laughed at|condescending)\b/i],
];

const LODGED_RULES: [Lodged, RegExp][] = [
  ['declined', /\b(heeft (toch )?geen zin|zinloos|klagen (heeft|helpt) (toch )?niet|ga (toch )?geen klacht|no point|pointless|won't bother)\b/i],
  ['intends', /\b(ga (een )?klacht indienen|ga klagen|klacht gaat eruit|ga (dit )?melden|laat (het|dit) (er )?niet bij|going to (file|complain)|will file)\b/i],
  ['lodged', /\b(klacht (ingediend|gedaan)|heb (een )?klacht|mijn klacht|klachtencommissie|filed a complaint|my complaint)\b/i],
];

const SEVERITY_HIGH = /\b(sloeg|geslagen|bloed\w*|gewond|ziekenhuis|taser|racis\w*|discrimin\w*|kind(eren)?|bedreigd|mes|hit|beat|bleeding|hospital|racist|child(ren)?|threatened)\b/i;
const SEVERITY_MEDIUM = /\b(aangehouden|boete|bekeuring|bon|geweigerd|weigerde|gestolen|cel|arrested|fined|refused|stolen)\b/i;

function pick<T extends string>(rules: [T, RegExp][], text: string): T | null {
  for (const [value, pattern] of rules) if (pattern.test(text)) return value;
  return null;
}

function perspectiveOf(text: string): Perspective {
  if (/\b(zag|gezien|saw|witnessed|watched)\b/i.test(text)) return 'witness';
  if (/\b(hoorde|gehoord|las|vriend|vriendin|broer|zus|neef|heard|my (friend|brother|sister))\b/i.test(text)) return 'second_hand';
  return 'first_hand';
}

export function createKeywordBaseline(unitOf: (text: string) => { unit: Unit; confidence: number }): Classifier {
  const classifyOne = (text: string): Classification => {
    const police = POLICE.test(text);
    const displeased = DISPLEASURE.test(text);
    const concrete = PAST_EVENT.test(text);
    const grievance = police && displeased && concrete;
    const category = grievance ? pick(CATEGORY_RULES, text) ?? 'overig' : null;
    const lodged: Lodged | null = grievance ? pick(LODGED_RULES, text) ?? 'unknown' : null;
    const severity: Severity | null = grievance ? (SEVERITY_HIGH.test(text) ? 'high' : SEVERITY_MEDIUM.test(text) ? 'medium' : 'low') : null;
    const perspective = grievance ? perspectiveOf(text) : null;
    const unit = unitOf(text);
    const grievanceP = grievance ? 0.8 : police && displeased ? 0.4 : 0.05;
    return {
      complaint: { value: displeased, p: displeased ? 0.8 : 0.2 },
      policeRelated: { value: police, p: police ? 0.8 : 0.1 },
      grievance: { value: grievance, p: grievanceP },
      category: { value: category, p: category ? 0.6 : 1 },
      lodged: { value: lodged, p: lodged ? 0.6 : 1 },
      perspective: { value: perspective, p: perspective ? 0.5 : 1 },
      severity: { value: severity, p: severity ? 0.5 : 1 },
      unit: { value: unit.unit, p: unit.confidence },
      distributions: { grievance: { true: grievanceP, false: 1 - grievanceP } },
    };
  };
  return {
    version: KEYWORD_BASELINE_VERSION,
    classify: async (texts) => texts.map(classifyOne),
  };
}
