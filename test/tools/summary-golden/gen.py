"""Golden summaries from real Keras for the options and corners the fixtures do not show.

usage: KERAS_BACKEND=numpy python3 gen.py && npx prettier --write .   (keras 3.15+ and rich; writes beside this file)
Each case folder gets model.json (model.to_json()) and one <variant>.txt per summary options in
variants.json. COLUMNS is set wide so that rich does not crop the lines (it crops to the terminal).
"""
import io, json, os

os.environ.setdefault("KERAS_BACKEND", "numpy")
os.environ["COLUMNS"] = "300"
import keras
from keras import layers, ops

HERE = os.path.dirname(os.path.abspath(__file__))


@keras.saving.register_keras_serializable(package="golden")
class Pair(layers.Layer):
    """Takes two tensors, returns both (a layer with two outputs)."""

    def call(self, inputs):
        return [ops.multiply(inputs[0], 2.0), ops.add(inputs[1], 1.0)]


def shared_pair():
    a = keras.Input((8,), name="a")
    b = keras.Input((8,), name="b")
    shared = layers.Dense(8, name="shared")
    pa, pb = Pair(name="pair")([shared(a), shared(b)])
    long = layers.Dense(3, name="a_very_long_layer_name_that_does_not_fit_in_the_column")(pa)
    return keras.Model([a, b], [long, pb], name="shared_pair")


def nested():
    inner_in = keras.Input((4,), name="inner_in")
    h = layers.Dense(5, name="inner_dense")(inner_in)
    inner = keras.Model(inner_in, layers.Dense(3, name="inner_out")(h), name="inner")
    seq = keras.Sequential(
        [keras.Input((3,)), layers.Dense(2, name="seq_dense"), layers.Dense(2, name="frozen", trainable=False)],
        name="inner_seq",
    )
    x1 = keras.Input((4,), name="x1")
    x2 = keras.Input((4,), name="x2")
    i1 = inner(x1)
    i2 = inner(x2)
    out = layers.Dense(1, name="head")(seq(i1))
    return keras.Model([x1, x2], [out, i2], name="nested")


def sizes():
    return keras.Sequential(
        [
            keras.Input((1024,)),
            layers.Dense(1024, name="big"),
            layers.Dense(16, name="small"),
            layers.Dense(4, name="half", dtype="float16"),
            layers.Dense(4, name="mixed", dtype="mixed_float16"),
        ],
        name="sizes",
    )


def tie():
    # 288 float32 parameters = 1152 bytes = 1.125 KB, which Python rounds to "1.12 KB".
    return keras.Sequential([keras.Input((17,)), layers.Dense(16, name="dense")], name="tie")


def unbuilt():
    return keras.Sequential([layers.Dense(3, name="lonely")], name="unbuilt")


CASES = {
    "shared_pair": (shared_pair, {
        "w110": {"line_length": 110},
        "w60": {"line_length": 60},
        "positions": {"line_length": 110, "positions": [0.25, 0.5, 0.7, 1.0]},
        "default": {},
        "trainable": {"line_length": 120, "show_trainable": True},
    }),
    "nested": (nested, {
        "w110": {"line_length": 110},
        "expand": {"line_length": 110, "expand_nested": True},
        "expand_trainable": {"line_length": 130, "expand_nested": True, "show_trainable": True},
    }),
    "sizes": (sizes, {"w100": {"line_length": 100}, "trainable": {"line_length": 100, "show_trainable": True}}),
    "tie": (tie, {"w80": {"line_length": 80}}),
    "unbuilt": (unbuilt, {"w80": {"line_length": 80}}),
}

for name, (make, variants) in CASES.items():
    model = make()
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "model.json"), "w") as f:
        f.write(json.dumps(json.loads(model.to_json()), indent=1) + "\n")
    with open(os.path.join(d, "variants.json"), "w") as f:
        f.write(json.dumps(variants, indent=1) + "\n")
    for v, kwargs in variants.items():
        buf = io.StringIO()
        model.summary(print_fn=lambda s, line_break=None: buf.write(s), **kwargs)
        with open(os.path.join(d, v + ".txt"), "w") as f:
            f.write(buf.getvalue())
    print(name, "ok")
