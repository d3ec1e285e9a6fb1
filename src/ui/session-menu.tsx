import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session, SignInRequest } from '../data/backend';
import { errorText } from './error-text';

export interface SessionMenuProps {
  session: Session | null;
  /** Demo members to act as (embedded database); empty means email/password sign-in. */
  demoMembers: Session[];
  /** While the database boots, the session shown cannot be switched yet. */
  disabled?: boolean;
  onSignIn(request: SignInRequest): Promise<void>;
  onSignOut(): Promise<void>;
}

/** Who is acting: a demo-member switch on the embedded database, a sign-in form on Supabase. */
export function SessionMenu({ session, demoMembers, disabled = false, onSignIn, onSignOut }: SessionMenuProps) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!session) return null;
  if (demoMembers.length > 0) {
    return (
      <label className="session">
        <span>{t('session.actAs')}</span>
        <select
          value={session.userId ?? ''}
          disabled={disabled}
          data-testid="session-select"
          onChange={(e) => {
            void onSignIn({ kind: 'demo', userId: e.target.value });
          }}
        >
          {demoMembers.map((m) => (
            <option key={m.userId} value={m.userId ?? ''}>
              {t(`role.${m.role}`)} · {m.displayName}
            </option>
          ))}
        </select>
      </label>
    );
  }
  if (session.role !== 'anon' || session.userId) {
    return (
      <div className="session" data-testid="session-signed-in" data-role={session.role}>
        <span>
          {t(`role.${session.role}`)} · {session.displayName}
        </span>
        <button type="button" onClick={() => void onSignOut()}>
          {t('session.signOut')}
        </button>
      </div>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await onSignIn({ kind: 'password', email, password });
    } catch (err) {
      setError(t('session.signInFailed', { message: errorText(t, err) }));
    }
  };
  return (
    <form className="session" onSubmit={(e) => void submit(e)} data-testid="sign-in-form">
      <input
        type="email"
        required
        placeholder={t('session.email')}
        aria-label={t('session.email')}
        data-testid="sign-in-email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <input
        type="password"
        required
        placeholder={t('session.password')}
        aria-label={t('session.password')}
        data-testid="sign-in-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit">{t('session.signIn')}</button>
      {error && (
        <span className="error" role="alert" data-testid="sign-in-error">
          {error}
        </span>
      )}
    </form>
  );
}
