import { useCallback, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BackendError } from '../data/backend';

/**
 * Returns an error as the user reads it: a database refusal named in the user's language (无权访问,
 * 数据冲突 …) followed by what it says, any other error's message. The one place errors are worded.
 */
export function errorText(t: (key: string) => string, error: unknown): string {
  // No network: what to do, not the browser's words for it.
  if (error instanceof BackendError && error.code === 'unavailable') return t('error.noNetwork');
  if (error instanceof BackendError) return `${t(`error.${error.code}`)}: ${error.message}`;
  if (error instanceof Error) return error.message;
  // Errors from workers arrive as plain objects with a message.
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string')
    return (error as { message: string }).message;
  return String(error);
}

/**
 * Returns errorText bound to the current language, one function for the component's life: effects
 * may use it without running again when the language changes.
 */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  const latest = useRef(t);
  latest.current = t;
  return useCallback((error: unknown) => errorText(latest.current, error), []);
}
