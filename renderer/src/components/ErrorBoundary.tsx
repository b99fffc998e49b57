import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Words for the heading, already translated. */
  title: string;
  retryLabel: string;
  children: ReactNode;
}
interface State {
  error: Error | null;
}

/** A failing view shows what failed and a way back, never a blank window. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('View failed:', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="panel error-panel" role="alert">
        <h2>{this.props.title}</h2>
        <p>{this.state.error.message}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          {this.props.retryLabel}
        </button>
      </div>
    );
  }
}
