import { replayOpenings } from './replay.js';

replayOpenings('b.tsv');
