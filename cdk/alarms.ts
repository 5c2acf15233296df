import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

// A failed or timed-out execution means a change ended FAILED, ROLLED_BACK or ROLLBACK_FAILED,
// or the engine gave up on it: someone should look. Ticket write-back failures are logged by
// the workflow steps as a metric (Powertools Metrics, EMF: functions/runtime/metrics.ts, which
// adds the `service` dimension to every metric) so an outage of the ticketing system is noticed too.
export const writeBackMetric = { namespace: 'changeflow', metricName: 'TicketWriteBackFailed', dimensionsMap: { service: 'changeflow' } } as const;

export class ChangeAlarms extends Construct {
  constructor(scope: Construct, id: string, props: { stateMachine: sfn.StateMachine; topic: sns.ITopic }) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);
    const alarm = (name: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, name, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(notify);
    };
    const period = Duration.minutes(5);
    alarm('ExecutionsFailed', props.stateMachine.metricFailed({ period }), 'a change ended FAILED, ROLLED_BACK or ROLLBACK_FAILED');
    alarm('ExecutionsTimedOut', props.stateMachine.metricTimedOut({ period }), 'a change execution hit its time limit');
    alarm('ExecutionsAborted', props.stateMachine.metricAborted({ period }), 'a change execution was stopped by hand');
    alarm(
      'TicketWriteBackFailed',
      new cloudwatch.Metric({ ...writeBackMetric, statistic: 'Sum', period }),
      'changeflow could not write a change outcome back to its ticket',
    );
  }
}
