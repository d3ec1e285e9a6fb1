let context: AudioContext | null = null;

/**
 * Plays the alert chime (two short tones, made with Web Audio: no file to load). Returns whether
 * it played: browsers keep audio silent until the page has been used (a click, a key).
 */
export function playAlertSound(): boolean {
  try {
    context ??= new AudioContext();
    if (context.state !== 'running') void context.resume();
    const start = context.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.25, 660],
    ] as const) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.2);
      tone.connect(gain).connect(context.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.22);
    }
    return true;
  } catch {
    return false;
  }
}
