import { churn } from './churn.js';
import { fanout } from './fanout.js';
import { idle } from './idle.js';
import { moves } from './moves.js';
import { siteIn } from './site-in.js';
import type { Scenario } from './types.js';

/** Every scenario, in the order a run takes them. */
export const SCENARIO_LIST: Scenario[] = [idle, fanout, moves, siteIn, churn] as Scenario[];
