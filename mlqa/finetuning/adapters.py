"""Bottleneck adapters (Houlsby et al. 2019): a small residual MLP after each sublayer of a frozen encoder (Q18)."""

from torch import Tensor, nn

from mlqa.finetuning.lora import replace_linears


class Adapter(nn.Module):
    """x + up(GELU(down(x))), d -> bottleneck -> d; `up` starts at zero so the adapter starts as the identity (Q18)."""

    def __init__(self, d_model: int, bottleneck: int):
        super().__init__()
        if not 1 <= bottleneck <= d_model:
            raise ValueError(f"bottleneck must lie in 1..{d_model}, got {bottleneck}")
        self.down = nn.Linear(d_model, bottleneck)
        self.up = nn.Linear(bottleneck, d_model)
        nn.init.normal_(self.down.weight, std=0.02)
        nn.init.zeros_(self.down.bias)
        nn.init.zeros_(self.up.weight)
        nn.init.zeros_(self.up.bias)
        self.activation = nn.GELU()

    def forward(self, x: Tensor) -> Tensor:
        """The input plus the bottleneck's correction."""
        return x + self.up(self.activation(self.down(x)))


def add_adapters(encoder: nn.Module, bottleneck: int = 16) -> list[str]:
    """Put an Adapter after the attention output projection and after the FFN's second layer of every block (Q18).

    In a post-LN block these outputs feed the residual sum and LayerNorm, where Houlsby et al. insert theirs.
    Returns the names of the layers that now end in an adapter.
    """
    def with_adapter(layer: nn.Linear) -> nn.Sequential:
        return nn.Sequential(layer, Adapter(layer.out_features, bottleneck))

    names = replace_linears(encoder, ("out",), with_adapter)
    ffns = [name for name, _ in encoder.named_modules() if name.endswith(".ffn")]
    for name in ffns:
        ffn = encoder.get_submodule(name)
        ffn[2] = with_adapter(ffn[2])
    return names + [name + ".2" for name in ffns]
