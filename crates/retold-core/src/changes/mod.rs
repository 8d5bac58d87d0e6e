//! What a retelling changed against its source: entity variants, numbers,
//! quotes, negations, added, dropped and reordered sentences.
