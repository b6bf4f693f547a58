"""Q14 and Q15: word vectors from the distributional hypothesis, and data augmentation for text."""

from mlqa.text.analogies import family_purity, number_analogy_accuracy
from mlqa.text.augment import (
    BigramGenerator,
    back_translation,
    character_noise,
    random_deletion,
    random_swap,
    sentence_shuffle,
    spell_out_numbers,
    synonym_replacement,
    vector_synonyms,
)
from mlqa.text.augmentation_study import (
    augmentation_study,
    augmentations,
    augmented_training_set,
    label_flip_rate,
    summarise,
    text_classifier,
)
from mlqa.text.contextual import SENSE_SENTENCES, sense_similarity, word_token_vectors
from mlqa.text.cooccurrence import cooccurrence_counts, ppmi, ppmi_svd_vectors, svd_vectors
from mlqa.text.corpus import (
    FAMILIES,
    GENERATED_SOURCE,
    TWEETS_SOURCE,
    WordFamily,
    family_corpus,
    family_words,
    tokenize,
    tweet_sentences,
)
from mlqa.text.graph_walks import community_graph, random_walks
from mlqa.text.skipgram import SkipGram, skipgram_pairs, train_skipgram
from mlqa.text.vectors import WordVectors, build_vocabulary, neighbour_overlap
from mlqa.text.word2vec_check import gensim_word2vec, overlap_table, stable_hash, three_methods

__all__ = [
    "BigramGenerator",
    "augmentation_study",
    "augmentations",
    "augmented_training_set",
    "back_translation",
    "character_noise",
    "label_flip_rate",
    "random_deletion",
    "random_swap",
    "sentence_shuffle",
    "spell_out_numbers",
    "summarise",
    "synonym_replacement",
    "text_classifier",
    "vector_synonyms",
    "FAMILIES",
    "GENERATED_SOURCE",
    "SENSE_SENTENCES",
    "TWEETS_SOURCE",
    "SkipGram",
    "WordFamily",
    "WordVectors",
    "build_vocabulary",
    "community_graph",
    "cooccurrence_counts",
    "family_corpus",
    "family_purity",
    "family_words",
    "gensim_word2vec",
    "neighbour_overlap",
    "number_analogy_accuracy",
    "overlap_table",
    "ppmi",
    "ppmi_svd_vectors",
    "random_walks",
    "sense_similarity",
    "skipgram_pairs",
    "stable_hash",
    "svd_vectors",
    "three_methods",
    "tokenize",
    "train_skipgram",
    "tweet_sentences",
    "word_token_vectors",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q14-word-map": "mlqa.text.plots_vectors:word_map_figure",
    "q15-augmentation-effect": "mlqa.text.plots_augment:augmentation_effect_figure",
}
