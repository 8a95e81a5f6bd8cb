import { QueueWorker } from "./queueWorker";

const orders = new QueueWorker("orders", { visibilityTimeout: 60 });
const emails = new QueueWorker("emails");

export const ordersQueue = orders.queue.url;
export const emailsQueue = emails.queue.url;
