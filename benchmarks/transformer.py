"""Q17 benchmark: KV-cached generation against recomputation and against Hugging Face, and a training step.

Run: python benchmarks/transformer.py   (prints times side by side and their ratios; timings interleaved)

Generation is measured at the setting of the LLMs-from-scratch KV-cache bonus (Raschka, chapter 4): a GPT-2
124M configuration (12 layers, d_model 768, 12 heads, vocabulary 50,257), a 4-token prompt, 200 new tokens,
batch 1, CPU. That reference reports a cache speed-up of about 4x. Targets: speed-up >= 4x; mlqa's cached
generation at least as fast as Hugging Face GPT2LMHeadModel.generate(use_cache=True) on the same weights
(ratio HF time / mlqa time >= 1.0), tokens identical. The training step (a smaller model) targets ratio >= 1.0.
Weights are random (nothing is downloaded); speed does not depend on their values.
"""

import argparse
import statistics
import time

import torch
import torch.nn.functional as F
import transformers as hf

from mlqa.transformer import from_hf


def interleaved_times(fns: list, repeats: int) -> list[list[float]]:
    """Seconds of each run of each function after one warm-up; the functions take turns, so a burst of load
    from other programs hits them alike."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, fn_times in zip(fns, times):
            start = time.perf_counter()
            fn()
            fn_times.append(time.perf_counter() - start)
    return times


def gpt2_config(layers: int, d_model: int, heads: int, vocab: int, positions: int) -> hf.GPT2Config:
    """A GPT-2 configuration without dropout; special tokens inside the vocabulary."""
    return hf.GPT2Config(
        vocab_size=vocab, n_positions=positions, n_embd=d_model, n_layer=layers, n_head=heads, resid_pdrop=0.0,
        embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=1, eos_token_id=2, pad_token_id=0,
    )


def generation(args: argparse.Namespace) -> None:
    """KV cache vs recomputation, and mlqa vs Hugging Face with the cache, at the reference's setting."""
    torch.manual_seed(0)
    config = gpt2_config(args.layers, args.d_model, args.heads, args.vocab, 1024)
    theirs = hf.GPT2LMHeadModel(config).eval()  # default attention: PyTorch SDPA, like mlqa
    ours = from_hf(theirs).eval()
    prompt = torch.randint(3, config.vocab_size, (1, args.prompt))
    hf.utils.logging.set_verbosity_error()

    def hf_cached():
        return theirs.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=args.new_tokens,
                               min_new_tokens=args.new_tokens, do_sample=False, use_cache=True, pad_token_id=0)

    def mlqa_cached():
        return ours.generate(prompt, args.new_tokens, use_cache=True)

    def mlqa_recomputed():
        return ours.generate(prompt, args.new_tokens, use_cache=False)

    cached_tokens = mlqa_cached()
    assert torch.equal(cached_tokens, mlqa_recomputed()), "KV-cached generation must equal recomputation"
    assert torch.equal(cached_tokens, hf_cached()), "mlqa and Hugging Face must generate the same tokens"
    print(f"GPT-2: {args.layers} layers, d_model {args.d_model}, {args.heads} heads, vocabulary {args.vocab}; "
          f"prompt {args.prompt} tokens, {args.new_tokens} new tokens, batch 1; tokens identical: yes")
    times = interleaved_times([mlqa_recomputed, mlqa_cached, hf_cached], args.repeats)
    recomputed, cached, hf_time = (min(t) for t in times)
    for name, t in zip(("mlqa, recompute", "mlqa, KV cache", "HF generate, KV cache"), (recomputed, cached, hf_time)):
        print(f"  {name:22s} best {t:6.2f} s  ({args.new_tokens / t:6.1f} tokens/s)")
    speedups = [r / c for r, c in zip(times[0], times[1])]
    vs_hf = [h / c for h, c in zip(times[2], times[1])]
    print(f"KV-cache speed-up (recompute / cached): best-of {recomputed / cached:5.2f}x, per round "
          f"{min(speedups):.2f}-{max(speedups):.2f}x (target >= 4x, the reference's figure)")
    print(f"mlqa vs HF with cache (HF time / mlqa time): best-of {hf_time / cached:5.2f}, per round "
          f"{min(vs_hf):.2f}-{max(vs_hf):.2f}, median {statistics.median(vs_hf):.2f} (target >= 1.0)")


def training_step(args: argparse.Namespace) -> None:
    """One forward + backward pass of mlqa's GPT against GPT2LMHeadModel (4 layers, d_model 256)."""
    torch.manual_seed(0)
    config = gpt2_config(4, 256, 4, 4096, 512)
    theirs = hf.GPT2LMHeadModel(config).train()
    ours = from_hf(theirs).train()
    ids = torch.randint(3, config.vocab_size, (8, 128))

    def step(model, logits_of):
        logits = logits_of(model)
        F.cross_entropy(logits[:, :-1].flatten(0, 1), ids[:, 1:].flatten()).backward()
        model.zero_grad(set_to_none=True)

    hf_times, our_times = interleaved_times(
        [lambda: step(theirs, lambda m: m(input_ids=ids).logits), lambda: step(ours, lambda m: m(ids))], 5
    )
    print(f"training step, 4 layers d_model 256, batch 8 x 128: HF {min(hf_times) * 1e3:7.1f} ms, "
          f"mlqa {min(our_times) * 1e3:7.1f} ms, ratio HF/mlqa {min(hf_times) / min(our_times):5.2f} (target >= 1.0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--d-model", type=int, default=768)
    parser.add_argument("--heads", type=int, default=12)
    parser.add_argument("--vocab", type=int, default=50257)
    parser.add_argument("--prompt", type=int, default=4)
    parser.add_argument("--new-tokens", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-training-step", action="store_true")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, transformers {hf.__version__}, threads {torch.get_num_threads()}")
    generation(args)
    if not args.skip_training_step:
        training_step(args)


if __name__ == "__main__":
    main()
