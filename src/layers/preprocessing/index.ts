import type { LayerKind } from "../../ir/kind.js";
import { AugMix } from "./aug-mix.js";
import { AutoContrast } from "./auto-contrast.js";
import { CategoryEncoding } from "./category-encoding.js";
import { CenterCrop } from "./center-crop.js";
import { ContrastLimitedAdaptiveHistogramEqualization } from "./contrast-limited-adaptive-histogram-equalization.js";
import { CutMix } from "./cut-mix.js";
import { Discretization } from "./discretization.js";
import { Equalization } from "./equalization.js";
import { HashedCrossing } from "./hashed-crossing.js";
import { Hashing } from "./hashing.js";
import { IndexLookup } from "./index-lookup.js";
import { IntegerLookup } from "./integer-lookup.js";
import { MaxNumBoundingBoxes } from "./max-num-bounding-boxes.js";
import { MelSpectrogram } from "./mel-spectrogram.js";
import { MixUp } from "./mix-up.js";
import { Normalization } from "./normalization.js";
import { Pipeline } from "./pipeline.js";
import { RandAugment } from "./rand-augment.js";
import { RandomBrightness } from "./random-brightness.js";
import { RandomColorDegeneration } from "./random-color-degeneration.js";
import { RandomColorJitter } from "./random-color-jitter.js";
import { RandomContrast } from "./random-contrast.js";
import { RandomCrop } from "./random-crop.js";
import { RandomElasticTransform } from "./random-elastic-transform.js";
import { RandomErasing } from "./random-erasing.js";
import { RandomFlip } from "./random-flip.js";
import { RandomGaussianBlur } from "./random-gaussian-blur.js";
import { RandomGrayscale } from "./random-grayscale.js";
import { RandomHeight } from "./random-height.js";
import { RandomHue } from "./random-hue.js";
import { RandomInvert } from "./random-invert.js";
import { RandomPerspective } from "./random-perspective.js";
import { RandomPosterization } from "./random-posterization.js";
import { RandomRotation } from "./random-rotation.js";
import { RandomSaturation } from "./random-saturation.js";
import { RandomSharpness } from "./random-sharpness.js";
import { RandomShear } from "./random-shear.js";
import { RandomTranslation } from "./random-translation.js";
import { RandomWidth } from "./random-width.js";
import { RandomZoom } from "./random-zoom.js";
import { Rescaling } from "./rescaling.js";
import { Resizing } from "./resizing.js";
import { Solarization } from "./solarization.js";
import { STFTSpectrogram } from "./stft-spectrogram.js";
import { StringLookup } from "./string-lookup.js";
import { TextVectorization } from "./text-vectorization.js";

/**
 * Keras's preprocessing layers (keras/src/layers/preprocessing/): feature preprocessing, lookups, text, audio and
 * every image augmentation, plus Keras 2's RandomHeight and RandomWidth.
 */
export const preprocessingKinds: LayerKind[] = [
  AugMix,
  AutoContrast,
  CategoryEncoding,
  CenterCrop,
  ContrastLimitedAdaptiveHistogramEqualization,
  CutMix,
  Discretization,
  Equalization,
  HashedCrossing,
  Hashing,
  IndexLookup,
  IntegerLookup,
  MaxNumBoundingBoxes,
  MelSpectrogram,
  MixUp,
  Normalization,
  Pipeline,
  RandAugment,
  RandomBrightness,
  RandomColorDegeneration,
  RandomColorJitter,
  RandomContrast,
  RandomCrop,
  RandomElasticTransform,
  RandomErasing,
  RandomFlip,
  RandomGaussianBlur,
  RandomGrayscale,
  RandomHeight,
  RandomHue,
  RandomInvert,
  RandomPerspective,
  RandomPosterization,
  RandomRotation,
  RandomSaturation,
  RandomSharpness,
  RandomShear,
  RandomTranslation,
  RandomWidth,
  RandomZoom,
  Rescaling,
  Resizing,
  Solarization,
  STFTSpectrogram,
  StringLookup,
  TextVectorization,
];
