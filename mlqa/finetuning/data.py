"""The Q18 data: all-MiniLM-L6-v2 and the Q17 tweet split, encoded to 32 WordPiece tokens (Q18)."""

from tokenizers import Tokenizer
from torch import Tensor

from mlqa.transformer import BertEncoder, encode_wordpiece, load_minilm, load_tweets, sentiment_split

POOL_SIZE, TEST_SIZE, LENGTH = 2000, 1000, 32  # the labelled pool and test set of Q17's exercise 17-A


def tweet_texts() -> tuple[list[str], list[int], list[str], list[int]]:
    """Q17's balanced split: 2,000 pool tweets and 1,000 test tweets with labels 0 negative, 1 positive (Q18)."""
    return sentiment_split(load_tweets(), num_train=POOL_SIZE, num_test=TEST_SIZE, seed=0)


def encode_split(tokenizer: Tokenizer, split: tuple[list[str], list[int], list[str], list[int]],
                 length: int = LENGTH) -> tuple[tuple[Tensor, Tensor, list[int]], tuple[Tensor, Tensor, list[int]]]:
    """(ids, mask, labels) of the pool and the test set (Q18)."""
    train_texts, train_labels, test_texts, test_labels = split
    return ((*encode_wordpiece(tokenizer, train_texts, length), train_labels),
            (*encode_wordpiece(tokenizer, test_texts, length), test_labels))


def tweet_data() -> tuple[BertEncoder, tuple[Tensor, Tensor, list[int]], tuple[Tensor, Tensor, list[int]]]:
    """Our MiniLM copy, the encoded pool and the encoded test set (Q18)."""
    _, encoder, tokenizer = load_minilm()
    train, test = encode_split(tokenizer, tweet_texts())
    return encoder, train, test
