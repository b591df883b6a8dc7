/**
 * Field errors in kube's wording (field.ErrorList): each one names the field path and says what is
 * wrong the way kube-apiserver does, so 422 messages read the same as a real cluster's.
 */
export interface FieldCause { reason: string; message: string; field: string }

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return `map[string]string${JSON.stringify(v).replace(/":/g, '":').replace(/,/g, ', ')}`;
  return JSON.stringify(v) ?? 'null';
};

export const required = (field: string, detail = ''): FieldCause => ({ reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value', field });
export const invalid = (field: string, value: unknown, detail: string): FieldCause => ({ reason: 'FieldValueInvalid', message: `Invalid value: ${show(value)}: ${detail}`, field });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldCause => ({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${show(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`, field });
export const duplicate = (field: string, value: unknown): FieldCause => ({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${show(value)}`, field });
export const forbidden = (field: string, detail: string): FieldCause => ({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field });
export const immutable = (field: string, value: unknown): FieldCause => invalid(field, value, 'field is immutable');
export const tooLong = (field: string, max: number): FieldCause => ({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${max} bytes`, field });

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
