import { replayOpenings } from './replay.js';

replayOpenings('c.tsv');
