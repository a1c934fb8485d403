import { Component } from "react";
import type { ErrorInfo, ReactNode } from "react";

export interface ErrorBoundaryProps {
  children: ReactNode;
  /** What to show instead of the children once one of them threw; `retry` renders them again. */
  fallback: (error: unknown, retry: () => void) => ReactNode;
  /** When this changes, a shown fallback gives way to the children again (new data to try). */
  resetKey?: unknown;
  /** Where the failure is reported (the console by default). */
  onError?: (error: unknown, info: ErrorInfo) => void;
}

interface ErrorBoundaryState {
  error: { value: unknown } | null;
  resetKey: unknown;
}

/**
 * Keeps a render error in one part of the window from unmounting the rest of it: React
 * removes the whole tree when an error reaches the root. Boxed in `{ value }` so that even
 * `throw undefined` counts as an error.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<ErrorBoundaryState> {
    return { error: { value: error } };
  }

  static getDerivedStateFromProps(
    props: ErrorBoundaryProps,
    state: ErrorBoundaryState,
  ): Partial<ErrorBoundaryState> | null {
    if (Object.is(props.resetKey, state.resetKey)) return null;
    return { resetKey: props.resetKey, error: null };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    if (this.props.onError) this.props.onError(error, info);
    else console.error("A part of the window failed to render", error, info.componentStack);
  }

  retry = (): void => this.setState({ error: null });

  override render(): ReactNode {
    const { error } = this.state;
    return error ? this.props.fallback(error.value, this.retry) : this.props.children;
  }
}

/** The error's name, message and stack as text, for a "copy details" button. */
export function errorDetail(error: unknown): string {
  if (error instanceof Error) {
    const head = `${error.name}: ${error.message}`;
    return error.stack?.includes(error.message) ? error.stack : `${head}\n${error.stack ?? ""}`;
  }
  try {
    return `Thrown: ${JSON.stringify(error)}`;
  } catch {
    return `Thrown: ${String(error)}`;
  }
}
