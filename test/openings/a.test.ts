import { replayOpenings } from './replay.js';

replayOpenings('a.tsv');
