import { registry } from "@web/core/registry";
import { charField } from "@web/views/fields/char/char_field";
import { many2OneField } from "@web/views/fields/many2one/many2one_field";

// Lists of serial units give the room to the serial. List columns take [min, max]
// widths from their widget: the serial's column never gets narrower than a long serial
// (IMEI, VIN) needs, and long product or owner names stop growing before it does.
const SERIAL_MIN_WIDTH = 200;

registry
    .category("fields")
    .add("serial_number", { ...charField, listViewWidth: [SERIAL_MIN_WIDTH] });
registry
    .category("fields")
    .add("serial_list_many2one", { ...many2OneField, listViewWidth: [80, SERIAL_MIN_WIDTH] });
