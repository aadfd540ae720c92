import { describe, expect, it } from 'vitest';
import { UNITS, type Unit } from '../../domain/taxonomy.js';
import { PLACE_ENTRIES, findUnit, nameTokens } from './place-units.js';

const unitOf = (text: string): Unit => findUnit(text).unit;

describe('findUnit: one place per unit', () => {
  it.each<[string, Unit]>([
    ['Agent in Groningen schreeuwde tegen me', 'noord_nederland'],
    ['Wijkagent uit Leeuwarden reageert nooit', 'noord_nederland'],
    ['Politie Nijmegen kwam gewoon niet', 'oost_nederland'],
    ['Staande gehouden in Enschede zonder reden', 'oost_nederland'],
    ['Mijn fiets is alweer gestolen in Utrecht', 'midden_nederland'],
    ['Agent in Hilversum was onbeschoft', 'midden_nederland'],
    ['Aangehouden in Zaandam, geen uitleg', 'noord_holland'],
    ['Politie Haarlem belt nooit terug', 'noord_holland'],
    ['Agenten in Amsterdam deden helemaal niks', 'amsterdam'],
    ['Bekeuring gekregen in Amstelveen', 'amsterdam'],
    ['Wijkagent in Zoetermeer lachte me uit', 'den_haag'],
    ['Politie Dordrecht weigerde mijn aangifte', 'rotterdam'],
    ['In Breda hardhandig aangehouden', 'zeeland_west_brabant'],
    ['Agent in Middelburg was vriendelijk', 'zeeland_west_brabant'],
    ['Politie Eindhoven doet niks aan overlast', 'oost_brabant'],
    ['Gefouilleerd in Maastricht voor niks', 'limburg'],
  ])('%s -> %s', (text, unit) => {
    expect(unitOf(text)).toBe(unit);
  });

  it('reports the place and a high confidence for a plain municipality', () => {
    expect(findUnit('Agent in Tilburg sloeg me')).toEqual({ unit: 'zeeland_west_brabant', place: 'Tilburg', confidence: 0.9 });
  });
});

describe('findUnit: unit boundaries that are easy to get wrong', () => {
  it.each<[string, Unit]>([
    ['politie in Dronten', 'midden_nederland'], // all of Flevoland is arrondissement Midden-Nederland
    ['rellen op Urk', 'midden_nederland'],
    ['Emmeloord', 'midden_nederland'],
    ['Almere Buiten', 'midden_nederland'],
    ['agent in Bussum', 'midden_nederland'], // Gooi en Vechtstreek
    ['wijkagent Huizen', 'midden_nederland'],
    ['in Gouda', 'den_haag'], // arrondissement Den Haag, not Rotterdam
    ['Vianen', 'midden_nederland'], // Vijfheerenlanden moved to the province of Utrecht
    ['Weesp', 'amsterdam'], // part of the municipality of Amsterdam since 2022
    ['Hoofddorp', 'noord_holland'],
    ['Goeree-Overflakkee', 'rotterdam'],
    ['Hoeksche Waard', 'rotterdam'],
    ['Waalwijk', 'zeeland_west_brabant'],
    ['Meierijstad', 'oost_brabant'],
    ['Land van Cuijk', 'oost_brabant'],
    ['Altena', 'zeeland_west_brabant'],
  ])('%s -> %s', (text, unit) => {
    expect(unitOf(text)).toBe(unit);
  });
});

describe('findUnit: towns, districts and neighbourhoods', () => {
  it.each<[string, Unit, string]>([
    ['Ze hebben hem in de Bijlmer opgepakt', 'amsterdam', 'Bijlmer'],
    ['controle in Amsterdam-Noord', 'amsterdam', 'Amsterdam-Noord'],
    ['Amsterdam Nieuw-West weer razzia', 'amsterdam', 'Amsterdam Nieuw-West'],
    ['agenten in Osdorp', 'amsterdam', 'Osdorp'],
    ['Tuindorp Oostzaan', 'amsterdam', 'Tuindorp Oostzaan'], // not the NH municipality Oostzaan
    ['Schilderswijk', 'den_haag', 'Schilderswijk'],
    ['op het strand van Scheveningen', 'den_haag', 'Scheveningen'],
    ['Feijenoord', 'rotterdam', 'Feijenoord'],
    ['Rotterdam-Zuid', 'rotterdam', 'Rotterdam-Zuid'],
    ['Hoogvliet', 'rotterdam', 'Hoogvliet'],
    ['Kanaleneiland', 'midden_nederland', 'Kanaleneiland'],
    ['Overvecht', 'midden_nederland', 'Overvecht'],
    ['Strijp-S', 'oost_brabant', 'Strijp-S'],
    ['in Woensel', 'oost_brabant', 'Woensel'],
    ['Veghel', 'oost_brabant', 'Veghel'],
    ['Geleen', 'limburg', 'Geleen'],
    ['IJmuiden', 'noord_holland', 'IJmuiden'],
    ['Haagse Beemden', 'zeeland_west_brabant', 'Haagse Beemden'], // Breda, not Den Haag
    ['Nieuw-Amsterdam', 'noord_nederland', 'Nieuw-Amsterdam'], // Drenthe, not Amsterdam
  ])('%s -> %s (%s)', (text, unit, place) => {
    const r = findUnit(text);
    expect(r.unit).toBe(unit);
    expect(r.place).toBe(place);
  });
});

describe('findUnit: informal names, spellings, hashtags', () => {
  it.each<[string, Unit, string]>([
    ['Mokum boven alles', 'amsterdam', 'Amsterdam'],
    ["A'dam agenten", 'amsterdam', 'Amsterdam'],
    ['020 politie is een grap', 'amsterdam', 'Amsterdam'],
    ["R'dam politie", 'rotterdam', 'Rotterdam'],
    ['010 wouten', 'rotterdam', 'Rotterdam'],
    ['in Den Bosch', 'oost_brabant', "'s-Hertogenbosch"],
    ["in 's-Hertogenbosch", 'oost_brabant', "'s-Hertogenbosch"],
    ['bureau in ’s-Hertogenbosch', 'oost_brabant', "'s-Hertogenbosch"], // curly apostrophe
    ["'s-Gravenhage", 'den_haag', "'s-Gravenhage"],
    ['in Den Haag', 'den_haag', 'Den Haag'],
    ['Utreg', 'midden_nederland', 'Utrecht'],
    ['Dordt', 'rotterdam', 'Dordrecht'],
    ['#Rotterdam agenten weer', 'rotterdam', 'Rotterdam'],
    ['#politieDenHaag doe je werk', 'den_haag', 'Den Haag'],
    ['#AmsterdamNoord', 'amsterdam', 'Amsterdam-Noord'],
    ['@PolitieEindhoven', 'oost_brabant', 'Eindhoven'],
    ['#PolitieBest', 'oost_brabant', 'Best'],
    ['in Súdwest-Fryslân', 'noord_nederland', 'Súdwest-Fryslân'],
    ['in Sudwest-Fryslan', 'noord_nederland', 'Súdwest-Fryslân'], // accents folded
  ])('%s -> %s (%s)', (text, unit, place) => {
    const r = findUnit(text);
    expect(r.unit).toBe(unit);
    expect(r.place).toBe(place);
  });
});

describe('findUnit: adjectives and demonyms', () => {
  it.each<[string, Unit]>([
    ['De Utrechtse politie doet niks', 'midden_nederland'],
    ['Amsterdamse agent sloeg mijn broer', 'amsterdam'],
    ['Haagse agenten zijn het ergst', 'den_haag'],
    ['Rotterdamse politie', 'rotterdam'],
    ['Limburgse politie', 'limburg'],
    ['Groningse agent', 'noord_nederland'],
    ['Friese politie', 'noord_nederland'],
    ['Bossche agenten', 'oost_brabant'],
    ['Zeeuwse politie', 'zeeland_west_brabant'],
  ])('%s -> %s', (text, unit) => {
    expect(unitOf(text)).toBe(unit);
  });

  it('Brabantse alone picks neither Brabant unit', () => {
    expect(findUnit('De Brabantse politie is een ramp')).toEqual({ unit: 'unknown', place: 'Brabant', confidence: 0.5 });
  });

  it('Brabantse next to a Brabant town follows the town', () => {
    const r = findUnit('Brabantse politie in Tilburg');
    expect(r.unit).toBe('zeeland_west_brabant');
    expect(r.confidence).toBe(0.9);
  });

  it('does not read street names built on a city adjective as that city', () => {
    expect(unitOf('Aangehouden op de Amsterdamsestraatweg')).toBe('unknown'); // a street in Utrecht
    expect(unitOf('file op de Utrechtsebaan')).toBe('unknown'); // a road in Den Haag
  });
});

describe('findUnit: ambiguous names used as ordinary words', () => {
  it.each([
    'de beste agent die ik ooit heb gezien',
    'Best agent ever, echt waar',
    'ik ga goes',
    'He goes to the police every week',
    'zo ede',
    'Dat kan leiden tot escalatie',
    'de buren belden de politie',
    'de huizen werden doorzocht',
    'ik gooi mijn klacht in de prullenbak',
    'die agent gaat de pijp uit',
    'Made my day, those cops',
    'ze putten uit ervaring',
    'het bestuur van de politie',
  ])('%s', (text) => {
    expect(findUnit(text)).toEqual({ unit: 'unknown', place: null, confidence: 1 });
  });

  it('matches whole words only: Ossendrecht is a West-Brabant town, not Oss', () => {
    expect(findUnit('Ossendrecht')).toEqual({ unit: 'zeeland_west_brabant', place: 'Ossendrecht', confidence: 0.9 });
  });
});

describe('findUnit: ambiguous names used as places', () => {
  it.each<[string, Unit, string]>([
    ['Aangehouden in Best', 'oost_brabant', 'Best'],
    ['Politie Ede kwam niet', 'oost_nederland', 'Ede'],
    ['Wijkagent uit Putten', 'oost_nederland', 'Putten'],
    ['op weg naar Goes', 'zeeland_west_brabant', 'Goes'],
    ['Leiden centrum was afgezet', 'den_haag', 'Leiden'],
    ['in De Pijp', 'amsterdam', 'De Pijp'],
    ['police in Son', 'oost_brabant', 'Son'],
  ])('%s -> %s', (text, unit, place) => {
    expect(findUnit(text)).toEqual({ unit, place, confidence: 0.75 });
  });

  it.each<[string, Unit]>([
    ['Goes: weer een groep scooterjongens op de markt', 'zeeland_west_brabant'],
    ['Hoorn, vorige week ingebroken bij ons', 'noord_holland'],
    ['Op het station van Ede werd ze lastiggevallen', 'oost_nederland'],
    ['Twee agenten op de Dam maken foto’s', 'amsterdam'],
    ['@politie_denbosch mijn tas is gevonden', 'oost_brabant'],
    ['@ziekenhuisMaastricht 3 uur gewacht', 'limburg'],
  ])('datelines, "station van", articles and handles: %s', (text, unit) => {
    expect(unitOf(text)).toBe(unit);
  });

  it.each(['Best, dan doe ik het zelf wel', 'Jan van Putten is onze wijkagent', 'agent rolde met zijn ogen', 'Made in Holland'])(
    'no place in %j',
    (text) => {
      expect(unitOf(text)).toBe('unknown');
    },
  );

  it('a capitalised hashtag is context enough', () => {
    expect(unitOf('#Leiden agenten weer bezig')).toBe('den_haag');
    expect(unitOf('#leiden')).toBe('unknown');
  });

  it('still needs the capital', () => {
    expect(unitOf('agent in best humeur')).toBe('unknown');
  });
});

describe('findUnit: names in two places or two units', () => {
  it('Bergen alone goes to the larger Bergen (NH) with low confidence', () => {
    expect(findUnit('agent in Bergen')).toEqual({ unit: 'noord_holland', place: 'Bergen', confidence: 0.5 });
  });

  it('Bergen next to a Limburg town is Bergen (L.)', () => {
    const r = findUnit('Eerst in Bergen, daarna naar het bureau in Venlo');
    expect(r.unit).toBe('limburg');
    expect(r.confidence).toBe(0.9);
  });

  it('Bergen op Zoom is not Bergen', () => {
    expect(findUnit('Bergen op Zoom')).toEqual({ unit: 'zeeland_west_brabant', place: 'Bergen op Zoom', confidence: 0.9 });
  });

  it('Rijswijk and Hengelo resolve to the big one', () => {
    expect(unitOf('Rijswijk')).toBe('den_haag');
    expect(unitOf('Hengelo')).toBe('oost_nederland');
  });

  it('Zuid-Holland alone picks neither Den Haag nor Rotterdam', () => {
    expect(findUnit('politie in Zuid-Holland')).toEqual({ unit: 'unknown', place: 'Zuid-Holland', confidence: 0.5 });
  });
});

describe('findUnit: several places', () => {
  it('places of one unit keep full confidence and report the most specific', () => {
    expect(findUnit('Hoogvliet, Rotterdam')).toEqual({ unit: 'rotterdam', place: 'Hoogvliet', confidence: 0.9 });
  });

  it('places of different units lower the confidence', () => {
    const r = findUnit('Ik woon in Utrecht maar de agent in Amsterdam was erger');
    expect(['midden_nederland', 'amsterdam']).toContain(r.unit);
    expect(r.confidence).toBeLessThan(0.6);
  });

  it('the most-mentioned unit wins', () => {
    const r = findUnit('Rotterdam is een ramp. Rotterdam politie doet niks. Vroeger in Den Haag was het beter');
    expect(r.unit).toBe('rotterdam');
    expect(r.confidence).toBeCloseTo(0.6, 2);
  });

  it('a name does not run across sentence punctuation', () => {
    const r = findUnit('Ik was in Amsterdam. Noord-Holland politie is niet beter');
    expect(r.place).not.toBe('Amsterdam-Noord');
    expect(r.confidence).toBeLessThan(0.9);
  });

  it('a district outweighs a municipality of another unit', () => {
    expect(unitOf('Ik kom uit Haarlem maar werd aangehouden in de Bijlmer')).toBe('amsterdam');
  });
});

describe('findUnit: national unit', () => {
  it.each([
    'De snelwegpolitie hield me aan op de A2',
    'DLE heeft mijn klacht nooit behandeld',
    'de Landelijke Eenheid',
    'the highway police tailgated me for miles',
  ])('%s -> landelijke_eenheid', (text) => {
    expect(findUnit(text)).toMatchObject({ unit: 'landelijke_eenheid', confidence: 0.9 });
  });

  it.each(['waterpolitie bij Rotterdam deed moeilijk', 'spoorwegpolitie op Utrecht Centraal', 'A2 near Weert, highway police car'])(
    '%s -> landelijke_eenheid, with doubt because a regional place is named',
    (text) => {
      expect(findUnit(text)).toMatchObject({ unit: 'landelijke_eenheid', confidence: 0.7 });
    },
  );

  it('regional unit names count as that unit', () => {
    expect(findUnit('klacht bij politie Midden-Nederland')).toEqual({ unit: 'midden_nederland', place: 'Midden-Nederland', confidence: 0.95 });
    expect(unitOf('eenheid Oost-Brabant')).toBe('oost_brabant');
  });
});

describe('findUnit: English and no place', () => {
  it.each<[string, Unit]>([
    ['police in The Hague were rude to me', 'den_haag'],
    ['Amsterdam cops are the worst', 'amsterdam'],
    ["Rotterdam's police ignored my report", 'rotterdam'],
    ['Got stopped by the police in Eindhoven', 'oost_brabant'],
  ])('%s -> %s', (text, unit) => {
    expect(unitOf(text)).toBe(unit);
  });

  it.each(['', 'De politie doet gewoon niks', 'Agent was onbeschoft en arrogant', 'the cops never came', '!!! ???'])(
    'no place: %j',
    (text) => {
      expect(findUnit(text)).toEqual({ unit: 'unknown', place: null, confidence: 1 });
    },
  );

  it('TV series and "Den Haag" as the government are not places', () => {
    expect(unitOf('Kijk al de hele avond Flikken Rotterdam')).toBe('unknown');
    expect(unitOf('Bezuinigen op de wijkagent. Typisch Den Haag.')).toBe('unknown');
    expect(unitOf('Flikken Maastricht is onrealistisch, in Maastricht zelf is de politie nergens')).toBe('limburg');
  });

  it('is deterministic across calls (shared scratch buffers)', () => {
    const a = findUnit('agent in Leiden en daarna Delft');
    findUnit('iets heel anders over Maastricht en Venlo en Roermond');
    expect(findUnit('agent in Leiden en daarna Delft')).toEqual(a);
  });
});

describe('places.json integrity', () => {
  const KINDS = new Set(['municipality', 'place', 'district', 'alias', 'region', 'unit_keyword']);
  const REAL_UNITS = UNITS.filter((u) => u !== 'unknown');

  it('every entry has a known unit (never unknown) and a known kind', () => {
    for (const e of PLACE_ENTRIES) {
      expect(REAL_UNITS, e.name).toContain(e.unit);
      expect(KINDS.has(e.kind), `${e.name}: ${e.kind}`).toBe(true);
      expect(typeof e.ambiguous).toBe('boolean');
      expect(nameTokens(e.name).length, e.name).toBeGreaterThan(0);
      if (e.of !== undefined) expect(e.of.length).toBeGreaterThan(0);
    }
  });

  it('no name maps to two units unless every entry for it is marked ambiguous', () => {
    const byName = new Map<string, typeof PLACE_ENTRIES[number][]>();
    for (const e of PLACE_ENTRIES) {
      const key = nameTokens(e.name).join(' ');
      byName.set(key, [...(byName.get(key) ?? []), e]);
    }
    const offenders: string[] = [];
    for (const [key, es] of byName) {
      const units = new Set(es.map((e) => e.unit));
      if (units.size > 1 && es.some((e) => !e.ambiguous)) offenders.push(key);
    }
    expect(offenders).toEqual([]);
  });

  it('lists all 342 municipalities, one per unit and name', () => {
    const munis = PLACE_ENTRIES.filter((e) => e.kind === 'municipality');
    expect(munis).toHaveLength(342);
    const seen = new Set(munis.map((e) => `${e.unit}|${e.name}`));
    expect(seen.size).toBe(342);
    for (const u of REAL_UNITS.filter((x) => x !== 'landelijke_eenheid')) {
      expect(munis.some((e) => e.unit === u), u).toBe(true);
    }
  });

  it('has national-unit keywords', () => {
    const le = PLACE_ENTRIES.filter((e) => e.unit === 'landelijke_eenheid').map((e) => e.name.toLowerCase());
    for (const k of ['snelwegpolitie', 'waterpolitie', 'spoorwegpolitie', 'landelijke eenheid', 'dle']) expect(le).toContain(k);
  });
});
