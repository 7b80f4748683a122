// resource.Quantity parsing, canonical formatting and arithmetic.
export {
  Quantity, QuantityError, parseQuantity, QUANTITY_FORMAT_ERROR, QUANTITY_NUMERIC_ERROR, QUANTITY_SUFFIX_ERROR,
  type QuantityFormat,
} from './quantity.ts';
