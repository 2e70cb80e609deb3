// Types for fft.js (indutny/fft.js), which ships none: a radix-4 FFT for power-of-two sizes.
declare module 'fft.js' {
  type Arr = number[] | Float64Array;
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    toComplexArray(input: ArrayLike<number>, storage?: Arr): Arr;
    fromComplexArray(complex: Arr, storage?: Arr): Arr;
    completeSpectrum(spectrum: Arr): void;
    transform(out: Arr, data: Arr): void;
    realTransform(out: Arr, data: ArrayLike<number>): void;
    inverseTransform(out: Arr, data: Arr): void;
  }
}
