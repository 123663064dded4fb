/**
 * An independent check of the statutory holiday table (src/lifecycle/statutory.ts): new moons (Meeus,
 * Astronomical Algorithms, 2nd ed., ch. 49, with the periodic and planetary terms) and the Sun's apparent
 * longitude (ch. 25, low accuracy, about 0.01° ≈ 15 minutes), both in Beijing time (UTC+8), as the
 * Chinese calendar standard GB/T 33661-2017 prescribes. Test code only: the product ships the table.
 */
const RAD = Math.PI / 180;
const sin = (deg: number) => Math.sin(deg * RAD);
const cos = (deg: number) => Math.cos(deg * RAD);
/** TT - UT in days for the 2020s-2030s (about 69-75 s; an error of a minute moves nothing here). */
const DELTA_T = 72 / 86400;

/** Julian Ephemeris Day of the new moon of lunation k (k = 0: 2000-01-06). */
export function newMoonJde(k: number): number {
  const T = k / 1236.85;
  let jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * T * T - 0.00000015 * T ** 3 + 0.00000000073 * T ** 4;
  const E = 1 - 0.002516 * T - 0.0000074 * T * T;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T * T - 0.00000011 * T ** 3;
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T * T + 0.00001238 * T ** 3 - 0.000000058 * T ** 4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T * T - 0.00000227 * T ** 3 + 0.000000011 * T ** 4;
  const O = 124.7746 - 1.56375588 * k + 0.0020672 * T * T + 0.00000215 * T ** 3;
  jde +=
    -0.4072 * sin(Mp) + 0.17241 * E * sin(M) + 0.01608 * sin(2 * Mp) + 0.01039 * sin(2 * F) + 0.00739 * E * sin(Mp - M) - 0.00514 * E * sin(Mp + M) + 0.00208 * E * E * sin(2 * M) -
    0.00111 * sin(Mp - 2 * F) - 0.00057 * sin(Mp + 2 * F) + 0.00056 * E * sin(2 * Mp + M) - 0.00042 * sin(3 * Mp) + 0.00042 * E * sin(M + 2 * F) + 0.00038 * E * sin(M - 2 * F) -
    0.00024 * E * sin(2 * Mp - M) - 0.00017 * sin(O) - 0.00007 * sin(Mp + 2 * M) + 0.00004 * sin(2 * Mp - 2 * F) + 0.00004 * sin(3 * M) + 0.00003 * sin(Mp + M - 2 * F) +
    0.00003 * sin(2 * Mp + 2 * F) - 0.00003 * sin(Mp + M + 2 * F) + 0.00003 * sin(Mp - M + 2 * F) - 0.00002 * sin(Mp - M - 2 * F) - 0.00002 * sin(3 * Mp + M) + 0.00002 * sin(4 * Mp);
  const A = [
    299.77 + 0.107408 * k - 0.009173 * T * T, 251.88 + 0.016321 * k, 251.83 + 26.651886 * k, 349.42 + 36.412478 * k, 84.66 + 18.206239 * k, 141.74 + 53.303771 * k, 207.14 + 2.453732 * k,
    154.84 + 7.30686 * k, 34.52 + 27.261239 * k, 207.19 + 0.121824 * k, 291.34 + 1.844379 * k, 161.72 + 24.198154 * k, 239.56 + 25.513099 * k, 331.55 + 3.592518 * k,
  ];
  const W = [0.000325, 0.000165, 0.000164, 0.000126, 0.00011, 0.000062, 0.00006, 0.000056, 0.000047, 0.000042, 0.00004, 0.000037, 0.000035, 0.000023];
  for (let i = 0; i < A.length; i++) jde += W[i]! * sin(A[i]!);
  return jde;
}

/** The Sun's apparent longitude (degrees) at a Julian Ephemeris Day. */
export function solarLongitude(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) + (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
  const omega = 125.04 - 1934.136 * T;
  const lon = L0 + C - 0.00569 - 0.00478 * sin(omega);
  return ((lon % 360) + 360) % 360;
}

/** A Julian Ephemeris Day as a Beijing-time instant: [date YYYY-MM-DD, hours after local midnight]. */
export function beijing(jde: number): { date: string; hour: number } {
  const ms = (jde - DELTA_T - 2440587.5) * 86400000 + 8 * 3600000;
  const d = new Date(ms);
  return { date: d.toISOString().slice(0, 10), hour: d.getUTCHours() + d.getUTCMinutes() / 60 };
}

/** Beijing dates of the new moons between two years (inclusive). */
export function newMoons(fromYear: number, toYear: number): { date: string; hour: number }[] {
  const out: { date: string; hour: number }[] = [];
  const k0 = Math.floor((fromYear - 2000) * 12.3685) - 2;
  const k1 = Math.ceil((toYear + 1 - 2000) * 12.3685) + 2;
  for (let k = k0; k <= k1; k++) out.push(beijing(newMoonJde(k)));
  return out;
}

/** The Beijing date on which the Sun reaches 15° (清明, Qingming) in a year, by bisection. */
export function qingming(year: number): { date: string; hour: number } {
  let lo = 2440587.5 + Date.UTC(year, 2, 25) / 86400000;
  let hi = lo + 20;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    const l = solarLongitude(mid);
    if (l >= 15 && l < 180) hi = mid;
    else lo = mid;
  }
  return beijing(hi);
}
