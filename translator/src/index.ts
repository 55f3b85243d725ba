export * from './models/load-seq2seq';
