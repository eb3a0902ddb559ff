import { replayOpenings } from './replay.js';

replayOpenings('e.tsv');
