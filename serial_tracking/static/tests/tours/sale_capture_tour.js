import { registry } from "@web/core/registry";

// A salesperson scans two serials on the order line prepared by the Python test,
// then confirms the order. The Python test checks the delivery afterwards.
const scanCell = ".o_field_widget[name=order_line] .o_data_row:first-child td[name=serial_scan]";
const tags = ".o_field_widget[name=order_line] .o_data_row:first-child td[name=serial_lot_ids]";

function scan(serial) {
    return [
        {
            content: `select the scan cell for ${serial}`,
            trigger: scanCell,
            run: "click",
        },
        {
            content: `scan ${serial}`,
            trigger: `${scanCell} input`,
            run: `edit ${serial} && click .o_form_view .o_breadcrumb`,
        },
        {
            content: `${serial} is captured on the line`,
            trigger: `${tags}:contains(${serial})`,
        },
    ];
}

registry.category("web_tour.tours").add("serial_tracking_sale_capture_tour", {
    steps: () => [
        {
            content: "the order line waits for its serials",
            trigger: ".o_field_widget[name=order_line] .o_data_row:first-child:contains(Camera Z9)",
        },
        ...scan("CAM-001"),
        ...scan("(01)09506000134376(21)CAM-002"),
        {
            content: "confirm the order",
            trigger: ".o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});
